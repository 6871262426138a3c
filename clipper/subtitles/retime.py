"""Carry a transcript over to a clip: keep, clip and shift cues to the pieces actually cut.

For each piece, every cue that overlaps the piece's source span is clipped to it and moved
to the piece's place in the clip. Pieces of cues shorter than MIN_CUE_MS are dropped: they
flash by too fast to read (and usually are the tail of a sentence cut off at a seam).
Ids stay unique when a cue is split across two pieces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from clipper.subtitles.model import Cue, unique_ids
from clipper.timecode import fraction_to_ms, ms_to_fraction

MIN_CUE_MS = 250


@dataclass(frozen=True)
class Span:
    """A part of the source [source_start, source_end) placed at clip_start in the clip."""

    source_start: Fraction
    source_end: Fraction
    clip_start: Fraction


def retime_cues(cues: Sequence[Cue], spans: Sequence[Span]) -> list[Cue]:
    """The cues of a clip made of `spans`, in clip order, with unique ids."""
    out: list[Cue] = []
    for span in spans:
        shift = span.clip_start - span.source_start
        for cue in cues:
            start = max(ms_to_fraction(cue.start_ms), span.source_start)
            end = min(ms_to_fraction(cue.end_ms), span.source_end)
            if end <= start:
                continue
            new_start, new_end = fraction_to_ms(start + shift), fraction_to_ms(end + shift)
            if new_end - new_start < MIN_CUE_MS:
                continue
            out.append(cue.shifted(new_start, new_end))
    out.sort(key=lambda c: (c.start_ms, c.end_ms))
    return unique_ids(out)
