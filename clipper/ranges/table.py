"""Ranges from a spreadsheet export: CSV with start, end and label columns.

German spreadsheet software writes `;` between cells and `,` before decimals (`0:05,5`);
others write `,` or tabs. The delimiter is the first of `;`, tab, `,` that splits the first
row into a header or two times. The header row is optional (German or English names); in
its absence the columns are start, end, label. A cell that cannot be placed is an error
naming its line and column, never dropped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from clipper.errors import RangeError, SourceLocation
from clipper.i18n import N_, _
from clipper.ranges.grammar import (
    QUOTES,
    RangeSpec,
    TimeSpan,
    check_order,
    parse_endpoint,
    parse_line,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "start": ("start", "beginn", "anfang", "von", "from", "in", "startzeit", "begin"),
    "end": ("end", "ende", "bis", "to", "out", "stop", "endzeit", "schluss"),
    "label": (
        "label",
        "titel",
        "title",
        "beschreibung",
        "description",
        "name",
        "text",
        "kapitel",
        "bezeichnung",
        "thema",
    ),
}
_NAMES = {name: column for column, names in COLUMNS.items() for name in names}
_WORD = re.compile(r"[^\W\d_]{4,}")  # four letters: a word, not a unit (`min`, `Sek`)
_TIMEISH = re.compile(r"^\s*[0-9][0-9:.,;]*\s*$")
_DELIMITERS = (";", "\t", ",")
CSV_EXAMPLE = N_("first row `Start;Ende;Titel`, then rows like `0:05;0:42,5;Begrüßung`")


def looks_like_csv(text: str) -> bool:
    """A ranges file that is really a spreadsheet export (whatever its name)."""
    first = _first_line(text)
    if first is None:
        return False
    for delimiter in _DELIMITERS:
        row = _split(first, delimiter)
        if len(row) >= 2 and _name(row[0]) == "start":
            return True
    return any(d in first and _timeish_row(_split(first, d)) for d in (";", "\t"))


def parse_csv(text: str, *, source: Path | str) -> list[RangeSpec]:
    """Specs from CSV text; RangeError naming the line (and column) for anything wrong."""
    first = _first_line(text)
    place = SourceLocation(source)
    if first is None:
        raise RangeError(_("no ranges found: the table is empty"), at=place, hint=_(CSV_EXAMPLE))
    delimiter = _delimiter(first)
    # newline=None: CR alone (old Mac Excel), CRLF and LF all end a row.
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    columns: list[str | None] = ["start", "end", "label"]
    header_seen = False
    specs: list[RangeSpec] = []
    times: list[str] = []  # the time cells as written
    line = 1
    try:
        for row in reader:
            row_line, line = line, reader.line_num + 1
            # One line per cell: Alt+Enter in a cell must not break a label over two lines.
            cells = [" ".join(c.split()) for c in row]
            if not any(cells) or _is_comment(cells[0]):
                continue
            if not header_seen:
                header_seen = True
                if not _starts_range(cells[0]):
                    columns = _header(cells, place.at(row_line))
                    continue
            specs.append(_row_spec(cells, columns, place.at(row_line)))
            if isinstance(specs[-1].what, TimeSpan):
                written = dict(zip(columns, cells, strict=False))
                times += [written.get("start", ""), written.get("end", "")]
    except csv.Error as exc:
        raise RangeError(
            _("cannot read the table: {exc}").format(exc=exc), at=place.at(line)
        ) from exc
    if not specs:
        raise RangeError(_("no ranges found: the table has no rows"), at=place, hint=_(CSV_EXAMPLE))
    return _note_whole_minutes(specs, times)


# `0:05` typed into LibreOffice or Google Sheets becomes the time 0 h 5 min, exported as
# `00:05:00`. Whole minutes in every cell is how that looks (and rare on purpose).
_WHOLE_MINUTES = re.compile(r"^\d{1,2}:\d{2}:00$")


def _note_whole_minutes(specs: list[RangeSpec], times: list[str]) -> list[RangeSpec]:
    """Note (not refuse) a table whose every time is whole minutes as H:MM:00."""
    if not times or not all(_WHOLE_MINUTES.match(t) for t in times):
        return specs
    index = next(i for i, s in enumerate(specs) if isinstance(s.what, TimeSpan))
    note = _(
        "every time in the table is whole minutes ({times}): if "
        "minutes:seconds were typed (0:05), the spreadsheet "
        "read them as hours:minutes; format the time columns as text and type the times again"
    ).format(times=times[0])
    specs[index] = replace(specs[index], note=note)
    return specs


def _row_spec(cells: list[str], columns: list[str | None], at: SourceLocation) -> RangeSpec:
    values: dict[str, str] = {}
    for number, cell in enumerate(cells, start=1):
        column = columns[number - 1] if number <= len(columns) else None
        if column is None and cell:
            raise RangeError(
                _("cell {number} ({cell!r}) is in no column of start, end, label").format(
                    number=number, cell=cell
                ),
                at=at,
                hint=_("put a label containing the delimiter in quotes, or remove the cell"),
            )
        if column is not None:
            values[column] = cell
    start, end, label = values.get("start", ""), values.get("end", ""), values.get("label", "")
    if start[:1] == "#" or start[:1] in QUOTES:
        if end:
            raise RangeError(
                _(
                    "the start {start!r} selects cues, so the end column "
                    "must stay empty (it holds {end!r})"
                ).format(start=start, end=end),
                at=at,
                hint=_("write a span of cues in one cell: #cue-12..#cue-15"),
            )
        spec = parse_line(start, at=at)
        if spec is None:
            raise RangeError(_("cannot read the start {start!r}").format(start=start), at=at)
        if spec.label and label:
            raise RangeError(
                _("two labels: {label!r} after the selection and {label2!r} in its column").format(
                    label=spec.label, label2=label
                ),
                at=at,
                hint=_("keep one of them"),
            )
        return RangeSpec(spec.what, spec.label or label, at.line)
    if not start:
        raise RangeError(_("the start is missing"), at=at, hint=_(CSV_EXAMPLE))
    if _WORD.search(start):  # a phrase whose "…" the table's own quoting took away
        raise RangeError(
            _("cannot read the start {start!r}").format(start=start),
            at=at,
            hint=_(
                'in a table write a phrase in „…“ quotes, like „neue Wege“ +0,5s ("…" are the '
                "table's own quotes)"
            ),
        )
    begin = parse_endpoint(start, at=at)
    if not end:
        raise RangeError(_("the end is missing"), at=at, hint=_(CSV_EXAMPLE))
    finish = parse_endpoint(end, at=at)
    check_order(begin, finish, at=at)
    return RangeSpec(TimeSpan(begin, finish), label, at.line)


def _header(cells: list[str], at: SourceLocation) -> list[str | None]:
    columns: list[str | None] = []
    for cell in cells:
        column = _name(cell) if cell else None
        if cell and column is None:
            known = ", ".join(n.capitalize() for n in ("start", "ende", "titel"))
            raise RangeError(
                _("unknown column {cell!r} in the header (or {cell!r} is not a time)").format(
                    cell=cell
                ),
                at=at,
                hint=_(
                    "name the columns {known} (or Start, End, Label), or remove the column"
                ).format(known=known),
            )
        if column is not None and column in columns:
            raise RangeError(_("two {column} columns in the header").format(column=column), at=at)
        columns.append(column)
    if "start" not in columns or ("end" not in columns and "label" not in columns):
        raise RangeError(
            _("the header needs a start and an end column"), at=at, hint=_(CSV_EXAMPLE)
        )
    return columns


def _delimiter(first: str) -> str:
    for delimiter in _DELIMITERS:
        row = _split(first, delimiter)
        if len(row) >= 2 and (_name(row[0]) == "start" or _timeish_row(row)):
            return delimiter
    return next((d for d in _DELIMITERS if d in first), ",")


def _first_line(text: str) -> str | None:
    for raw in text.lstrip("\ufeff").splitlines():
        if raw.strip() and not _is_comment(raw.strip()):
            return raw
    return None


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]
    except csv.Error:
        return []


def _name(cell: str) -> str | None:
    return _NAMES.get(cell.strip().strip(":").casefold())


def _timeish_row(row: list[str]) -> bool:
    return len(row) >= 2 and bool(_TIMEISH.match(row[0])) and bool(_TIMEISH.match(row[1]))


def _starts_range(cell: str) -> bool:
    return bool(_TIMEISH.match(cell)) or cell[:1] == "#" or cell[:1] in QUOTES


def _is_comment(cell: str) -> bool:
    return cell == "#" or cell[:2] in ("# ", "#\t", "##")
