"""The one plan every cut runs from: per piece, segments that are copied or re-encoded.

Planning makes it (pure: clipper.cutting.plan snaps the ranges to frames, smart.py decides
what may be copied), execution takes it. An accurate cut is the plan whose every segment
is encoded, a keyframe cut the one whose every segment is copied, a smart cut mixes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Literal

from clipper.cutting.modes import CutMode
from clipper.cutting.plan import FramePlan, Piece
from clipper.i18n import _
from clipper.timecode import format_time, fraction_to_ms


@dataclass(frozen=True)
class Segment:
    """A run of consecutive frames of one piece, either copied or re-encoded.

    `decode_from` (encode only) is the keyframe where decoding must begin to reach `start`.
    `reorder` (copy only) is how far packets run ahead of their display position in decode
    order, which the muxer needs to keep decode times monotonic across seams.
    """

    kind: Literal["copy", "encode"]
    start: Fraction
    end: Fraction
    frames: int
    clip_start: Fraction
    decode_from: Fraction | None = None
    reorder: int = 0


@dataclass(frozen=True)
class PlannedPiece:
    """One frame-exact piece and the segments it is made of."""

    piece: Piece
    segments: tuple[Segment, ...]
    note: str | None = None


@dataclass(frozen=True)
class CutPlan:
    """How a clip is made: the frame-exact pieces and, per piece, its copy/encode segments.

    `mode` is what will run (never auto); `frame_duration` is the source's one frame
    duration when segments are copied (constant frame rate), else None.
    """

    mode: CutMode
    frame_plan: FramePlan
    pieces: list[PlannedPiece]
    frame_duration: Fraction | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def source(self) -> Path:
        return self.frame_plan.source

    @property
    def has_audio(self) -> bool:
        return self.frame_plan.has_audio

    @property
    def duration(self) -> Fraction:
        return self.frame_plan.duration

    @property
    def duration_ms(self) -> int:
        return self.frame_plan.duration_ms

    @property
    def frames(self) -> int:
        """Frames in the clip."""
        return self.frame_plan.frames

    @property
    def frames_encoded(self) -> int:
        return sum(s.frames for s in self.segments if s.kind == "encode")

    @property
    def frames_copied(self) -> int:
        return sum(s.frames for s in self.segments if s.kind == "copy")

    @property
    def segments(self) -> list[Segment]:
        return [s for p in self.pieces for s in p.segments]

    def describe(self) -> list[str]:
        """Per piece the cut, then per segment: copy or encode, source and clip times."""
        lines = []
        for line, planned in zip(self.frame_plan.describe(), self.pieces, strict=True):
            lines.append(line)
            for s in planned.segments:
                clip_end = s.clip_start + s.end - s.start
                lines.append(
                    _(
                        "     {kind:6} source {time_text} - {time_text2} -> "
                        "clip {time_text3} - {time_text4}  ({frames} frames)"
                    ).format(
                        kind=s.kind,
                        time_text=time_text(s.start),
                        time_text2=time_text(s.end),
                        time_text3=time_text(s.clip_start),
                        time_text4=time_text(clip_end),
                        frames=s.frames,
                    )
                )
            if planned.note:
                lines.append(_("     note: {note}").format(note=planned.note))
        return lines


def time_text(value: Fraction) -> str:
    """A plan time as the user reads it (H:MM:SS.mmm, rounded to the ms)."""
    return format_time(fraction_to_ms(value))


def accurate_plan(frames: FramePlan, extra_notes: list[str] | None = None) -> CutPlan:
    """The plan that re-encodes every piece whole (frame-exact for any source)."""
    pieces = [
        PlannedPiece(p, (Segment("encode", p.start, p.end, p.frames, p.clip_start),))
        for p in frames.pieces
    ]
    notes = list(frames.notes) + list(extra_notes or [])
    return CutPlan(CutMode.accurate, frames, pieces, None, notes)
