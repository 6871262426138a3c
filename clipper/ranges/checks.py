"""What resolved ranges must satisfy together and against the recording, and the notes
for what is no error but worth a look (an end clamped to the recording's end)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from pathlib import Path

from clipper.errors import RangeError, SourceLocation
from clipper.i18n import _
from clipper.ranges.grammar import Range
from clipper.timecode import format_time

# A recording's end may be overshot by this much (people type the end they see rounded up).
END_TOLERANCE_MS = 1000


@dataclass(frozen=True)
class Note:
    """Something about one range to check that is no error: where it was written, and what."""

    at: SourceLocation
    text: str

    def __str__(self) -> str:
        """`line 3: ...` (or `--range 3: ...`), as listed under the ranges file it is in."""
        return f"{self.at.format('note')}: {self.text}"

    def with_file(self) -> str:
        """`file, line 3: ...`, for a list of notes from many files (publish's warnings)."""
        return f"{self.at}: {self.text}"


def check_overlaps(ranges: list[Range], source: Path | str, *, padded: bool = False) -> None:
    """Refuse ranges that overlap: that part of the recording would appear twice."""
    ordered = sorted(ranges, key=lambda r: (r.start_ms, r.end_ms))
    for earlier, later in itertools.pairwise(ordered):
        if later.start_ms < earlier.end_ms:
            first, second = sorted((earlier, later), key=lambda r: r.line or 0)
            hint = _("a part would appear twice; shorten one of them")
            if padded:
                hint += _(", pad less, or select the cues together (#a..#b)")
            at = SourceLocation(source, second.line)
            lines = _("ranges") if at.is_option else _("ranges on lines")
            raise RangeError(
                _("{lines} {line} and {line2} overlap ({start_ms} is before {end_ms})").format(
                    lines=lines,
                    line=first.line,
                    line2=second.line,
                    start_ms=format_time(later.start_ms),
                    end_ms=format_time(earlier.end_ms),
                ),
                at=at,
                hint=hint,
            )


def fit_to_duration(
    ranges: list[Range], duration_ms: int, *, source: Path | str = "<ranges>"
) -> tuple[list[Range], list[Note]]:
    """Check ranges against the recording's length; clamp ends slightly past its end.

    Returns the ranges to cut and notes for the plan (one per clamped end).
    """
    fitted: list[Range] = []
    notes: list[Note] = []
    length = format_time(duration_ms)
    for r in ranges:
        at = SourceLocation(source, r.line)
        if r.start_ms >= duration_ms:
            raise RangeError(
                _("the range starts at {start_ms}, after the recording's end ({length})").format(
                    start_ms=format_time(r.start_ms), length=length
                ),
                at=at,
                hint=_("check the time against the recording"),
            )
        if r.end_ms > duration_ms + END_TOLERANCE_MS:
            raise RangeError(
                _(
                    "the range ends at {end_ms}, more than a second after "
                    "the recording's end ({length})"
                ).format(end_ms=format_time(r.end_ms), length=length),
                at=at,
                hint=_("end it at {length} or earlier").format(length=length),
            )
        if r.end_ms > duration_ms:
            notes.append(
                Note(
                    at,
                    _("end {end_ms} is past the recording's end; cut to the end ({length})").format(
                        end_ms=format_time(r.end_ms), length=length
                    ),
                )
            )
            r = replace(r, end_ms=duration_ms)
        fitted.append(r)
    return fitted, notes
