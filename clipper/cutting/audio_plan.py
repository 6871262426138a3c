"""Which parts of a smart cut's sound are copied and which re-encoded: pure planning.

AAC sound comes in frames of 1024 samples. Inside each piece, the source's frames are
copied as they are; only a short window around each seam (and at the clip's start and
end) is encoded anew, from the source's sound with the 5 ms fades the seams always had.
The windows are whole frames long, so the copied frames follow them without a gap or
an overlap, and each window is chosen so that the copied frames after it sit as close
as the frame grid allows to where they belong: within half a frame (16 ms at 32 kHz) of
the picture at every seam, however many seams there are (the error does not add up).

Where a piece's copied frames sit a little early or late (`drift`), the windows next to
them read the source with the same shift, so the sound runs on without a jump from the
copied frames into the window and out of it; the only jumps are the seams themselves.

Times are integer samples of the source's rate: `source` times on the source's sound
time line (as its packets' pts), `clip` times from the clip's start.
"""

from __future__ import annotations

from dataclasses import dataclass

FRAME = 1024  # samples in an AAC frame
MARGIN = 2 * FRAME  # encoded sound at least this long on each side of a seam


@dataclass(frozen=True)
class PieceSound:
    """One piece of the clip in samples: where its sound is in the source and the clip."""

    source_start: int
    clip_start: int
    samples: int


@dataclass(frozen=True)
class SoundSpan:
    """Source sound placed in an encoded window, faded where it meets a seam."""

    source_start: int
    samples: int
    fade_in: bool
    fade_out: bool


@dataclass(frozen=True)
class Window:
    """Encoded frames at `clip_start`: the spans in order, then silence to fill the frames."""

    clip_start: int
    frames: int
    spans: tuple[SoundSpan, ...]


@dataclass(frozen=True)
class CopyRun:
    """`packets` of the source's frames from the one at `first_pts`, placed at `clip_start`."""

    clip_start: int
    first_pts: int
    packets: int
    piece: int  # which piece of the clip they belong to


@dataclass(frozen=True)
class SoundPlan:
    parts: tuple[Window | CopyRun, ...]
    drifts: tuple[int, ...]  # per piece: its copied frames' offset from the picture

    @property
    def copied_frames(self) -> int:
        return sum(p.packets for p in self.parts if isinstance(p, CopyRun))

    @property
    def encoded_frames(self) -> int:
        return sum(p.frames for p in self.parts if isinstance(p, Window))


def plan_sound(pieces: list[PieceSound], grid: int, *, first_pts: int, end_pts: int) -> SoundPlan:
    """The parts of the clip's sound, in clip order. `grid`: the pts of any source frame
    (frames start at grid + k*FRAME); `first_pts`/`end_pts`: the first and one past the
    last sample the source's frames cover (no frame outside them is copied)."""
    parts: list[Window | CopyRun] = []
    drifts = [0] * len(pieces)
    cursor = 0  # clip sample where the next part starts
    window_from = 0  # index of the first piece the pending window covers
    for i, piece in enumerate(pieces):
        copy = _copy_span(piece, grid, first_pts, end_pts)
        if copy is None:
            continue
        first, count = copy
        ideal = piece.clip_start + (first - piece.source_start)
        frames = max(1, (ideal - cursor + FRAME // 2) // FRAME)
        start = cursor + frames * FRAME
        drifts[i] = start - ideal
        parts.append(_window(pieces, drifts, window_from, i, cursor, frames))
        parts.append(CopyRun(clip_start=start, first_pts=first, packets=count, piece=i))
        cursor = start + count * FRAME
        window_from = i
    end = pieces[-1].clip_start + pieces[-1].samples if pieces else 0
    frames = max(1, -(-(end - cursor) // FRAME))
    parts.append(_window(pieces, drifts, window_from, len(pieces) - 1, cursor, frames))
    return SoundPlan(parts=tuple(parts), drifts=tuple(drifts))


def _copy_span(
    piece: PieceSound, grid: int, first_pts: int, end_pts: int
) -> tuple[int, int] | None:
    """(pts of the first frame copied, frames copied) of a piece, or None if too short."""
    low = max(piece.source_start + MARGIN, first_pts)
    high = min(piece.source_start + piece.samples - MARGIN, end_pts)
    first = low + (grid - low) % FRAME
    count = (high - first) // FRAME
    return (first, count) if count > 0 else None


def _window(
    pieces: list[PieceSound], drifts: list[int], first: int, last: int, start: int, frames: int
) -> Window:
    """The window over clip [start, start + frames*FRAME) from pieces first..last."""
    end = start + frames * FRAME
    spans = []
    for j in range(first, last + 1):
        piece = pieces[j]
        low, high = max(start, piece.clip_start), min(end, piece.clip_start + piece.samples)
        if low >= high:
            continue
        spans.append(
            SoundSpan(
                source_start=piece.source_start + (low - piece.clip_start) - drifts[j],
                samples=high - low,
                fade_in=low == piece.clip_start,
                fade_out=high == piece.clip_start + piece.samples,
            )
        )
    return Window(clip_start=start, frames=frames, spans=tuple(spans))
