"""Pure cut planning: which source frames each requested range keeps, and where they land.

A range's start and end are snapped to the nearest frame boundary of the source (so each
piece starts and ends within half a frame of what was asked), and the piece keeps exactly
the frames shown in between. Subtitles and chapters follow these snapped times, not the
requested ones. Nothing here touches media: it works on lists of frame times.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from clipper.errors import RangeError
from clipper.i18n import _
from clipper.media.probe import FrameWindow
from clipper.ranges.grammar import Range
from clipper.timecode import format_time, fraction_to_ms, ms_to_fraction


@dataclass(frozen=True)
class Piece:
    """One range as it will actually be cut.

    `start` is the presentation time of the first kept frame; `end` that of the first frame
    after the piece (or the stream's end). `trim_start`/`trim_end` lie halfway to the
    neighbouring frames, so timestamp rounding inside ffmpeg cannot gain or lose a frame.
    """

    range: Range
    start: Fraction
    end: Fraction
    frames: int
    clip_start: Fraction
    trim_start: Fraction
    trim_end: Fraction

    @property
    def duration(self) -> Fraction:
        return self.end - self.start

    @property
    def clip_end(self) -> Fraction:
        return self.clip_start + self.duration

    @property
    def start_ms(self) -> int:
        return fraction_to_ms(self.start)

    @property
    def end_ms(self) -> int:
        return fraction_to_ms(self.end)

    @property
    def clip_start_ms(self) -> int:
        return fraction_to_ms(self.clip_start)

    @property
    def clip_end_ms(self) -> int:
        return fraction_to_ms(self.clip_end)


@dataclass(frozen=True)
class FramePlan:
    """The requested ranges snapped to source frames, back to back in the clip."""

    source: Path
    pieces: list[Piece]
    has_audio: bool
    notes: list[str] = field(default_factory=list)

    @property
    def duration(self) -> Fraction:
        return sum((p.duration for p in self.pieces), Fraction(0))

    @property
    def duration_ms(self) -> int:
        return fraction_to_ms(self.duration)

    @property
    def frames(self) -> int:
        return sum(p.frames for p in self.pieces)

    def describe(self) -> list[str]:
        """The plan as lines a person can check against the ranges file."""
        lines = []
        for number, p in enumerate(self.pieces, start=1):
            label = f"  {p.range.label}" if p.range.label else ""
            lines.append(
                _(
                    "{number}. source {start_ms} - {end_ms} -> clip "
                    "{clip_start_ms} - {clip_end_ms}  ({frames} frames; "
                    "asked {start_ms2} - {end_ms2}){label}"
                ).format(
                    number=number,
                    start_ms=format_time(p.start_ms),
                    end_ms=format_time(p.end_ms),
                    clip_start_ms=format_time(p.clip_start_ms),
                    clip_end_ms=format_time(p.clip_end_ms),
                    frames=p.frames,
                    start_ms2=format_time(p.range.start_ms),
                    end_ms2=format_time(p.range.end_ms),
                    label=label,
                )
            )
        return lines


def _nearest(times: list[Fraction], t: Fraction) -> int:
    """Index of the frame time nearest to t (ties go to the later frame)."""
    i = bisect.bisect_left(times, t)
    if i == 0:
        return 0
    if i == len(times):
        return len(times) - 1
    return i if times[i] - t <= t - times[i - 1] else i - 1


def plan_piece(rng: Range, window: FrameWindow, clip_start: Fraction) -> Piece:
    """Snap one range to the frames in `window` (the frame times around it)."""
    times = window.times
    if not times:
        raise RangeError(_("no video frames found in this range"), line=rng.line)
    # Candidate boundaries: every frame start, plus the stream end when the window reaches it.
    bounds = times + ([window.stream_end] if window.stream_end is not None else [])
    want_start, want_end = ms_to_fraction(rng.start_ms), ms_to_fraction(rng.end_ms)
    first = _nearest(times, want_start)
    end_index = _nearest(bounds, want_end)
    if end_index <= first:
        raise RangeError(
            _("the range {describe} is shorter than one video frame").format(
                describe=rng.describe()
            ),
            line=rng.line,
            hint=_("make it longer"),
        )
    start, end = times[first], bounds[end_index]
    typical = _typical_gap(times)
    trim_start = (times[first - 1] + start) / 2 if first > 0 else start - typical / 2
    runs_to_stream_end = end_index == len(times)
    trim_end = end if runs_to_stream_end else (times[end_index - 1] + end) / 2
    return Piece(
        range=rng,
        start=start,
        end=end,
        frames=end_index - first,
        clip_start=clip_start,
        trim_start=trim_start,
        trim_end=trim_end,
    )


def _typical_gap(times: list[Fraction]) -> Fraction:
    if len(times) < 2:
        return Fraction(1, 25)
    gaps = sorted(b - a for a, b in itertools.pairwise(times))
    return gaps[len(gaps) // 2]


def plan_frames(
    source: Path,
    ranges: list[Range],
    windows: list[FrameWindow],
    *,
    has_audio: bool,
    notes: list[str] | None = None,
    ranges_source: Path | str | None = None,
) -> FramePlan:
    """Plan the clip: the ranges in the order given, each snapped to frames, back to back."""
    pieces: list[Piece] = []
    clip_at = Fraction(0)
    for rng, window in zip(ranges, windows, strict=True):
        try:
            piece = plan_piece(rng, window, clip_at)
        except RangeError as exc:
            exc.path = exc.path or (Path(ranges_source) if ranges_source else None)
            raise
        pieces.append(piece)
        clip_at = piece.clip_end
    plan_notes = list(notes or [])
    if not has_audio:
        plan_notes.append(_("the source has no audio stream: the clip has no audio"))
    return FramePlan(source=source, pieces=pieces, has_audio=has_audio, notes=plan_notes)
