"""Timestamp lists: which parts of a recording go into a clip.

Parsing is pure: a ranges text (or `--range` options) becomes `RangeSpec`s whose ends may
still be symbolic (frame timecodes, cues of the transcript). `clipper.ranges.selection` resolves
them against the transcript and the recording's frame rate into `Range`s of milliseconds.

One range per line:

    0:05 - 0:12,5  Begrüßung              clock times (`-`, `–`, `—` or `-->` between)
    00:01:02:12 - 00:01:30:00  Grußwort    SMPTE frame timecodes (`;` before FF: drop-frame)
    #cue-12  Neue Wege                     a cue of the transcript, by id
    #cue-12..#cue-15 +0.5s                 the cues from one id to another, padded 0.5 s
    "neue Wege" -1s/+0.5s  Ausblick        the cue containing a phrase, padded 1 s and 0.5 s

A comment is `#` followed by a space, another `#` or the line's end, at the start of a line
or after a space; `#` directly followed by text is a cue reference at the start of a line
and plain text inside a label. Errors name the file and line and say how to fix it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from clipper.errors import RangeError
from clipper.files.atomic import read_user_file
from clipper.files.text import UndecodableError, decode_text, office_document
from clipper.timecode import TimecodeError, format_time, is_frame_timecode, parse_time

# A recording's end may be overshot by this much (people type the end they see rounded up).
END_TOLERANCE_MS = 1000

# Between two times or cues: `-`, the dashes and minus signs word processors and other
# keyboards put there instead, `-->` (as in WebVTT) or the German `bis`.
_SEP = r"(?:-->|[-‐‑‒–—−]|[Bb]is(?!\w))"
_TIME = r"[0-9][0-9:.,;]*"
_LINE = re.compile(
    rf"""^\s*
    (?P<start>{_TIME})
    \s*{_SEP}\s*
    (?P<end>{_TIME})
    (?:\s+(?P<label>.*?))?
    \s*$""",
    re.VERBOSE,
)

# `#` + space, `#` or end of line, at the line's start or after a space ("Punkt#3" and
# "Punkt #3" stay labels; "#cue-3" at the start is a cue reference).
_COMMENT = re.compile(r"(?:^|\s)#(?=\s|#|$).*$")

# Quote marks a phrase may be written in, each with the marks that may close it (German
# text uses „…“ and »…«; word processors turn "…" into “…”).
QUOTES = {
    '"': '"“”',
    "„": '“”"',
    "“": '”“"',
    "”": "”",
    "»": "«",
    "«": "»",
}
_ID = re.compile(r"#((?:(?!\.\.)\S)+)")
_TO = re.compile(rf"\s*(?:\.\.|\s{_SEP}\s)\s*")
_DURATION = r"\d{1,6}(?:[.,]\d{1,6})?\s*s|\d{1,9}\s*ms|0"
_PADDING = re.compile(
    rf"(?:\+(?P<both>{_DURATION})|-(?P<before>{_DURATION})\s*/\s*\+(?P<after>{_DURATION}))"
    r"(?=\s|$)"
)

EXAMPLE = "write it like `0:05 - 1:30,5 Begrüßung`"
START_HINT = (
    "start the line with a time (`0:05 - 1:30,5 Begrüßung`), a cue (`#cue-12`) or a phrase "
    'in quotes (`"neue Wege"`)'
)
# Two things around a separator, to say which of them is not a time.
_LOOSE = re.compile(rf"^(?P<start>\S+?)\s*{_SEP}\s*(?P<end>\S+)")
CUE_EXAMPLE = 'write it like `#cue-12`, `#cue-12..#cue-15 +0.5s` or `"neue Wege" Ausblick`'
PADDING_EXAMPLE = "pad both ends with +0.5s (or +500ms), or each end with -1s/+0.5s"


@dataclass(frozen=True)
class Range:
    """A requested part of the source, [start_ms, end_ms), with the line it came from."""

    start_ms: int
    end_ms: int
    label: str = ""
    line: int | None = None

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    def describe(self) -> str:
        text = f"{format_time(self.start_ms)} - {format_time(self.end_ms)}"
        return f"{text}  {self.label}" if self.label else text


@dataclass(frozen=True)
class FrameCode:
    """An SMPTE timecode as written (`00:01:02:12`); its time depends on the frame rate."""

    text: str


Time = int | FrameCode  # whole milliseconds, or a frame timecode still to be resolved


@dataclass(frozen=True)
class CueId:
    """`#cue-12`: the cue with that id (or, if no cue has ids, the 12th)."""

    id: str


@dataclass(frozen=True)
class Phrase:
    """`"neue Wege"`: the cue (or two adjacent cues) whose text contains the phrase."""

    text: str


Pick = CueId | Phrase


@dataclass(frozen=True)
class TimeSpan:
    start: Time
    end: Time


@dataclass(frozen=True)
class CueSpan:
    """The cues from `first` to `last` (inclusive), widened by the padding."""

    first: Pick
    last: Pick | None = None
    before_ms: int = 0
    after_ms: int = 0


@dataclass(frozen=True)
class RangeSpec:
    """One parsed line: what to select, its label and where it was written."""

    what: TimeSpan | CueSpan
    label: str = ""
    line: int | None = None
    note: str = ""  # something to check that is no error (shown with the resolved ranges)

    @property
    def needs_transcript(self) -> bool:
        return isinstance(self.what, CueSpan)

    @property
    def needs_frame_rate(self) -> bool:
        what = self.what
        return isinstance(what, TimeSpan) and (
            isinstance(what.start, FrameCode) or isinstance(what.end, FrameCode)
        )


def parse_specs(
    text: str, *, source: Path | str = "<ranges>", first_line: int = 1
) -> list[RangeSpec]:
    """Parse a ranges list into specs; raise RangeError naming the line for anything wrong.

    `first_line` is the file line of the text's first line (ranges inside event.toml).
    """
    specs: list[RangeSpec] = []
    for number, raw in enumerate(text.splitlines(), start=first_line):
        spec = parse_line(raw.lstrip("\ufeff"), source=source, line=number)
        if spec is not None:
            specs.append(spec)
    if not specs:
        raise RangeError("no ranges found: the list is empty", path=source, hint=EXAMPLE)
    return specs


def parse_options(values: Sequence[str]) -> list[RangeSpec]:
    """Ranges from repeated `--range` options; errors name the option (`--range 2`)."""
    specs: list[RangeSpec] = []
    for number, value in enumerate(values, start=1):
        spec = parse_line(value, source="--range", line=number)
        if spec is None:
            raise RangeError(
                f"{value!r} is empty or a comment", path="--range", line=number, hint=EXAMPLE
            )
        specs.append(spec)
    if not specs:
        raise RangeError("no ranges given", hint="give --ranges FILE or --range START-END")
    return specs


def parse_line(raw: str, *, source: Path | str, line: int | None) -> RangeSpec | None:
    """One line of a ranges list: a spec, or None for a blank or comment line."""
    text = raw.strip()
    if not text or _COMMENT.match(text):
        return None
    if text[0] == "#" or text[0] in QUOTES:
        return _parse_cue_line(text, source, line)
    text = _COMMENT.sub("", text).strip()
    match = _LINE.match(text)
    if not match:
        raise _unreadable(text, source, line)
    start = parse_endpoint(match["start"], source=source, line=line)
    end = parse_endpoint(match["end"], source=source, line=line)
    check_order(start, end, source=source, line=line)
    return RangeSpec(TimeSpan(start, end), (match["label"] or "").strip(), line)


def _unreadable(text: str, source: Path | str, line: int | None) -> RangeError:
    """Why a line is no range, as precisely as can be told (which time, or how lines start)."""
    if not text[0].isdigit():
        return RangeError(
            f"cannot read {text!r} as a range", path=source, line=line, hint=START_HINT
        )
    loose = _LOOSE.match(text)
    if loose:
        for part in (loose["start"], loose["end"]):
            parse_endpoint(part, source=source, line=line)  # raises, naming the unreadable time
    return RangeError(f"cannot read {text!r} as a range", path=source, line=line, hint=EXAMPLE)


def starts_like_a_range(text: str) -> bool:
    """Whether text (event.toml's `ranges = "..."`) is a range rather than a file name."""
    return bool(re.match(rf"^\s*(?:\d[\d:.,;]*\s*{_SEP}|#\S|[{''.join(QUOTES)}])", text))


def parse_endpoint(text: str, *, source: Path | str, line: int | None) -> Time:
    """A clock time in milliseconds, or a frame timecode kept as written."""
    if is_frame_timecode(text):
        return FrameCode(text.strip())
    try:
        return parse_time(text)
    except TimecodeError as exc:
        raise RangeError(str(exc), path=source, line=line) from exc


def check_order(start: Time, end: Time, *, source: Path | str, line: int | None) -> None:
    """Refuse a range that ends before it starts or is empty (known once both are times)."""
    if not isinstance(start, int) or not isinstance(end, int):
        return
    if end < start:
        raise RangeError(
            f"the range ends ({format_time(end)}) before it starts ({format_time(start)})",
            path=source,
            line=line,
            hint="swap the two times",
        )
    if end == start:
        raise RangeError(
            f"the range {format_time(start)} - {format_time(end)} is empty",
            path=source,
            line=line,
            hint="give an end after the start",
        )


def _parse_cue_line(text: str, source: Path | str, line: int | None) -> RangeSpec:
    first, at = _read_pick(text, 0, source, line)
    last: Pick | None = None
    to = _TO.match(text, at)
    if to and to.end() < len(text) and (text[to.end()] == "#" or text[to.end()] in QUOTES):
        last, at = _read_pick(text, to.end(), source, line)
    rest = text[at:].strip()
    if at < len(text) and not text[at].isspace():
        raise RangeError(
            f"cannot read {text!r}: put a space after the cue selection",
            path=source,
            line=line,
            hint=CUE_EXAMPLE,
        )
    before = after = 0
    padding = _PADDING.match(rest)
    if padding:
        if padding["both"]:
            before = after = _duration_ms(padding["both"])
        else:
            before, after = _duration_ms(padding["before"]), _duration_ms(padding["after"])
        rest = rest[padding.end() :].strip()
    elif re.match(r"[+-]\s*\d", rest):
        raise RangeError(
            f"cannot read the padding in {text!r}", path=source, line=line, hint=PADDING_EXAMPLE
        )
    if rest[:1] == "#" and not _COMMENT.match(rest):
        shown = _format_pick(first)
        raise RangeError(
            f"cannot read {text!r}: a label cannot start with a second cue",
            path=source,
            line=line,
            hint=f"write {shown}..{rest.split()[0]} for the cues from one to the other",
        )
    label = _COMMENT.sub("", rest).strip()
    return RangeSpec(CueSpan(first, last, before, after), label, line)


def _read_pick(text: str, at: int, source: Path | str, line: int | None) -> tuple[Pick, int]:
    if text[at] == "#":
        match = _ID.match(text, at)
        if not match:
            raise RangeError(
                f"cannot read {text!r}: `#` must be followed by a cue id, or by a space for a "
                "comment",
                path=source,
                line=line,
                hint=CUE_EXAMPLE,
            )
        return CueId(match[1]), match.end()
    closers = QUOTES[text[at]]
    end = next((i for i in range(at + 1, len(text)) if text[i] in closers), None)
    if end is None:
        raise RangeError(
            f"the phrase in {text!r} has no closing quote", path=source, line=line, hint=CUE_EXAMPLE
        )
    phrase = " ".join(text[at + 1 : end].split())
    if not phrase:
        raise RangeError(
            f"the phrase in {text!r} is empty", path=source, line=line, hint=CUE_EXAMPLE
        )
    return Phrase(phrase), end + 1


def _duration_ms(text: str) -> int:
    text = "".join(text.split())
    if text == "0":
        return 0
    if text.endswith("ms"):
        return int(text[:-2])
    return parse_time(text[:-1])


def format_spec(spec: RangeSpec) -> str:
    """The spec as a line of a ranges list (parse_line reads it back to the same spec)."""
    what = spec.what
    if isinstance(what, TimeSpan):
        text = f"{_format_endpoint(what.start)} - {_format_endpoint(what.end)}"
    else:
        text = _format_pick(what.first)
        if what.last is not None:
            text += ".." + _format_pick(what.last)
        if what.before_ms == what.after_ms and what.before_ms:
            text += f" +{what.before_ms}ms"
        elif what.before_ms or what.after_ms:
            text += f" -{what.before_ms}ms/+{what.after_ms}ms"
    return f"{text}  {spec.label}" if spec.label else text


def _format_endpoint(time: Time) -> str:
    return time.text if isinstance(time, FrameCode) else format_time(time)


def _format_pick(pick: Pick) -> str:
    return f"#{pick.id}" if isinstance(pick, CueId) else f'"{pick.text}"'


def describe_spec(spec: RangeSpec) -> str:
    """How the line selects, for messages: `#cue-3..#cue-5 +0.5s`, or its times."""
    return format_spec(replace(spec, label=""))


def parse_ranges(text: str, *, source: Path | str = "<ranges>") -> list[Range]:
    """Parse a ranges list of clock times only (no transcript, no frame rate needed)."""
    from clipper.ranges.selection import resolve

    return resolve(parse_specs(text, source=source), source=source).ranges


def read_ranges(path: Path) -> list[Range]:
    """Read a ranges file of clock times only (see read_specs)."""
    from clipper.ranges.selection import resolve

    return resolve(read_specs(path), source=path).ranges


def specs_from(file: Path | None, options: Sequence[str]) -> tuple[list[RangeSpec], Path | str]:
    """The specs of a ranges file or of `--range` options (exactly one), and their source."""
    if (file is None) == (not options):
        raise RangeError(
            "give either --ranges FILE or one or more --range options",
            hint="e.g. --ranges zusammenfassung.ranges, or --range '0:05-0:12,5'",
        )
    if file is not None:
        return read_specs(file), file
    return parse_options(options), "--range"


def read_specs(path: Path) -> list[RangeSpec]:
    """Read a ranges file: a `.csv`/`.tsv` spreadsheet export or a ranges list (detected by
    content too). UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text") and
    Windows-1252 (older Excel), detected; bytes that fit none are refused, never replaced."""
    from clipper.ranges.table import looks_like_csv, parse_csv

    data = read_user_file(path, RangeError, "ranges file")
    document = office_document(data, path.suffix)
    if document is not None:
        what = "CSV" if document.spreadsheet else "plain text"
        raise RangeError(
            f"is {document.name}, not a text file",
            path=path,
            hint=f"save it as {what}: {document.how}",
        )
    try:
        text = decode_text(data).text
    except UndecodableError as exc:
        raise RangeError(
            f"cannot read the text: {exc}", path=path, hint="save it as UTF-8 (or CSV UTF-8)"
        ) from None
    if path.suffix.lower() in (".csv", ".tsv") or looks_like_csv(text):
        return parse_csv(text, source=path)
    return parse_specs(text, source=path)


def where(source: Path | str, line: int | None) -> str:
    """How a note names a range: `line 3`, or `--range 3` for the third `--range` option."""
    return f"{source} {line}" if str(source).startswith("--") else f"line {line}"


def check_overlaps(ranges: list[Range], source: Path | str, *, padded: bool = False) -> None:
    """Refuse ranges that overlap: that part of the recording would appear twice."""
    ordered = sorted(ranges, key=lambda r: (r.start_ms, r.end_ms))
    for earlier, later in itertools.pairwise(ordered):
        if later.start_ms < earlier.end_ms:
            first, second = sorted((earlier, later), key=lambda r: r.line or 0)
            hint = "a part would appear twice; shorten one of them"
            if padded:
                hint += ", pad less, or select the cues together (#a..#b)"
            lines = "ranges" if str(source).startswith("--") else "ranges on lines"
            raise RangeError(
                f"{lines} {first.line} and {second.line} overlap "
                f"({format_time(later.start_ms)} is before {format_time(earlier.end_ms)})",
                path=source,
                line=second.line,
                hint=hint,
            )


def fit_to_duration(
    ranges: list[Range], duration_ms: int, *, source: Path | str = "<ranges>"
) -> tuple[list[Range], list[str]]:
    """Check ranges against the recording's length; clamp ends slightly past its end.

    Returns the ranges to cut and notes for the plan (one per clamped end).
    """
    fitted: list[Range] = []
    notes: list[str] = []
    length = format_time(duration_ms)
    for r in ranges:
        if r.start_ms >= duration_ms:
            raise RangeError(
                f"the range starts at {format_time(r.start_ms)}, after the recording's end "
                f"({length})",
                path=source,
                line=r.line,
                hint="check the time against the recording",
            )
        if r.end_ms > duration_ms + END_TOLERANCE_MS:
            raise RangeError(
                f"the range ends at {format_time(r.end_ms)}, more than a second after the "
                f"recording's end ({length})",
                path=source,
                line=r.line,
                hint=f"end it at {length} or earlier",
            )
        if r.end_ms > duration_ms:
            notes.append(
                f"{where(source, r.line)}: end {format_time(r.end_ms)} is past the recording's "
                f"end; cut to the end ({length})"
            )
            r = replace(r, end_ms=duration_ms)
        fitted.append(r)
    return fitted, notes
