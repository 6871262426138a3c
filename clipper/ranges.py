"""Timestamp lists: which parts of a recording go into a clip.

One range per line, `START - END  optional label`; `#` starts a comment. Times as
`HH:MM:SS.fff`, `MM:SS.fff` or seconds, with `.` or `,` before the fraction. `-`, `–`, `—`
and `-->` all separate start and end. Errors name the file and line and say how to fix it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from clipper.errors import RangeError
from clipper.fsutil import read_user_file
from clipper.timecode import TimecodeError, format_time, parse_time

# A recording's end may be overshot by this much (people type the end they see rounded up).
END_TOLERANCE_MS = 1000

_LINE = re.compile(
    r"""^\s*
    (?P<start>[0-9][0-9:.,]*)
    \s*(?:-->|–|—|-)\s*
    (?P<end>[0-9][0-9:.,]*)
    (?:\s+(?P<label>.*?))?
    \s*$""",
    re.VERBOSE,
)

# `#` at the start of a line or after a space starts a comment ("Punkt#3" stays a label).
_COMMENT = re.compile(r"(?:^|\s)#.*$")

EXAMPLE = "write it like `0:05 - 1:30,5 Begrüßung`"


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


def parse_ranges(text: str, *, source: Path | str = "<ranges>") -> list[Range]:
    """Parse a ranges list; raise RangeError naming the line for anything wrong."""
    ranges: list[Range] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw.lstrip("\ufeff")).strip()
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            raise RangeError(
                f"cannot read {line!r} as a range", path=source, line=number, hint=EXAMPLE
            )
        try:
            start = parse_time(match["start"])
            end = parse_time(match["end"])
        except TimecodeError as exc:
            raise RangeError(str(exc), path=source, line=number) from exc
        if end < start:
            raise RangeError(
                f"the range ends ({format_time(end)}) before it starts ({format_time(start)})",
                path=source,
                line=number,
                hint="swap the two times",
            )
        if end == start:
            raise RangeError(
                f"the range {format_time(start)} - {format_time(end)} is empty",
                path=source,
                line=number,
                hint="give an end after the start",
            )
        ranges.append(Range(start, end, (match["label"] or "").strip(), number))
    if not ranges:
        raise RangeError("no ranges found: the list is empty", path=source, hint=EXAMPLE)
    _check_overlaps(ranges, source)
    return ranges


def read_ranges(path: Path) -> list[Range]:
    """Read a ranges file (UTF-8, with or without BOM; Windows-1252 as a fallback)."""
    data = read_user_file(path, RangeError, "ranges file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return parse_ranges(text, source=path)


def _check_overlaps(ranges: list[Range], source: Path | str) -> None:
    ordered = sorted(ranges, key=lambda r: (r.start_ms, r.end_ms))
    for earlier, later in itertools.pairwise(ordered):
        if later.start_ms < earlier.end_ms:
            first, second = sorted((earlier, later), key=lambda r: r.line or 0)
            raise RangeError(
                f"ranges on lines {first.line} and {second.line} overlap "
                f"({format_time(later.start_ms)} is before {format_time(earlier.end_ms)})",
                path=source,
                line=second.line,
                hint="a part would appear twice; shorten one of them",
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
                f"line {r.line}: end {format_time(r.end_ms)} is past the recording's end; "
                f"cut to the end ({length})"
            )
            r = replace(r, end_ms=duration_ms)
        fitted.append(r)
    return fitted, notes
