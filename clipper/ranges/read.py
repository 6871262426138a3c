"""Ranges from where users write them: a ranges file (or its spreadsheet export), `--range`
options, or a text of clock times (for scripts and tests that need no transcript)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from clipper.errors import RangeError
from clipper.files.atomic import read_user_file
from clipper.files.text import UndecodableError, decode_text, office_document
from clipper.i18n import _
from clipper.ranges.grammar import RANGE_OPTION, Range, RangeSpec, parse_options, parse_specs
from clipper.ranges.selection import resolve
from clipper.ranges.table import looks_like_csv, parse_csv


def parse_ranges(text: str, *, source: Path | str = "<ranges>") -> list[Range]:
    """Parse a ranges list of clock times only (no transcript, no frame rate needed)."""
    return resolve(parse_specs(text, source=source), source=source).ranges


def read_ranges(path: Path) -> list[Range]:
    """Read a ranges file of clock times only (see read_specs)."""
    return resolve(read_specs(path), source=path).ranges


def specs_from(file: Path | None, options: Sequence[str]) -> tuple[list[RangeSpec], Path | str]:
    """The specs of a ranges file or of `--range` options (exactly one), and their source."""
    if (file is None) == (not options):
        raise RangeError(
            _("give either --ranges FILE or one or more --range options"),
            hint=_("e.g. --ranges zusammenfassung.ranges, or --range '0:05-0:12,5'"),
        )
    if file is not None:
        return read_specs(file), file
    return parse_options(options), RANGE_OPTION


def read_specs(path: Path) -> list[RangeSpec]:
    """Read a ranges file: a `.csv`/`.tsv` spreadsheet export or a ranges list (detected by
    content too). UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text") and
    Windows-1252 (older Excel), detected; bytes that fit none are refused, never replaced."""
    data = read_user_file(path, RangeError, _("ranges file"))
    document = office_document(data, path.suffix)
    if document is not None:
        what = _("CSV") if document.spreadsheet else _("plain text")
        raise RangeError(
            _("is {name}, not a text file").format(name=_(document.name)),
            path=path,
            hint=_("save it as {what}: {how}").format(what=what, how=_(document.how)),
        )
    try:
        text = decode_text(data).text
    except UndecodableError as exc:
        raise RangeError(
            _("cannot read the text: {exc}").format(exc=exc),
            path=path,
            hint=_("save it as UTF-8 (or CSV UTF-8)"),
        ) from None
    if path.suffix.lower() in (".csv", ".tsv") or looks_like_csv(text):
        return parse_csv(text, source=path)
    return parse_specs(text, source=path)
