"""What each seam of a cut costs: frames re-encoded at a piece's start and at its end.

`clipper cut --details` prints it, so a user (and a benchmark) sees where a smart cut
still re-encodes: at a start up to the next IDR keyframe, at an end only the frames after
the last whole run of B-frames, a piece inside one GOP whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from clipper.cutting.cut_plan import CutPlan, PlannedPiece
from clipper.i18n import _


@dataclass(frozen=True)
class SeamCost:
    """Frames of one piece: re-encoded at its start, copied, re-encoded at its end."""

    start_encoded: int
    copied: int
    end_encoded: int


def seam_cost(planned: PlannedPiece) -> SeamCost:
    """Split a piece's frames by where they are: before, in and after its copied run."""
    segments = planned.segments
    copied = [n for n, s in enumerate(segments) if s.kind == "copy"]
    if not copied:
        return SeamCost(sum(s.frames for s in segments), 0, 0)
    first, last = copied[0], copied[-1]
    return SeamCost(
        sum(s.frames for s in segments[:first]),
        sum(s.frames for s in segments[first : last + 1]),
        sum(s.frames for s in segments[last + 1 :]),
    )


def seam_lines(plan: CutPlan) -> list[str]:
    """One line per piece on its seams' cost, and one on the whole clip."""
    lines = []
    for number, planned in enumerate(plan.pieces, start=1):
        cost = seam_cost(planned)
        lines.append(
            _(
                "piece {number}: {start} frames re-encoded at the start, {copied} copied, "
                "{end} re-encoded at the end"
            ).format(
                number=number, start=cost.start_encoded, copied=cost.copied, end=cost.end_encoded
            )
        )
    lines.append(
        _("{encoded} of {frames} frames re-encoded").format(
            encoded=plan.frames_encoded, frames=plan.frames
        )
    )
    return lines
