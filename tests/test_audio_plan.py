"""The sound plan of a smart cut: copied AAC frames inside the pieces, encoded windows at
every seam, no gap, no overlap, and each piece's copied frames within half a frame of its
picture however many pieces there are."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clipper.cutting.audio_plan import FRAME, MARGIN, CopyRun, PieceSound, Window, plan_sound

RATE = 32_000


def contiguous(pieces_spec: list[tuple[int, int]]) -> list[PieceSound]:
    """Pieces from (source start, samples), one after the other in the clip."""
    pieces, at = [], 0
    for start, samples in pieces_spec:
        pieces.append(PieceSound(source_start=start, clip_start=at, samples=samples))
        at += samples
    return pieces


PIECES = st.lists(
    st.tuples(st.integers(0, 60 * RATE), st.integers(RATE // 25, 20 * RATE)),
    min_size=1,
    max_size=40,
)


@given(PIECES, st.integers(0, FRAME - 1))
def test_the_parts_tile_the_clip_and_every_seam_is_encoded(spec, grid) -> None:
    pieces = contiguous(spec)
    end = pieces[-1].clip_start + pieces[-1].samples
    plan = plan_sound(pieces, grid, first_pts=0, end_pts=10**9)
    cursor = 0
    for part in plan.parts:
        assert part.clip_start == cursor
        length = (part.packets if isinstance(part, CopyRun) else part.frames) * FRAME
        assert length > 0
        cursor += length
    assert end <= cursor < end + FRAME  # the sound ends within a frame after the picture
    seams = [p.clip_start for p in pieces] + [end]
    for part in plan.parts:
        if isinstance(part, CopyRun):
            # a copy never runs over a seam, and stays MARGIN-ish away from each
            low, high = part.clip_start, part.clip_start + part.packets * FRAME
            assert not any(low < s < high for s in seams)
            assert (part.first_pts - grid) % FRAME == 0
    for part in plan.parts:
        if isinstance(part, Window):
            filled = sum(span.samples for span in part.spans)
            assert filled <= part.frames * FRAME
            assert filled == part.frames * FRAME or part is plan.parts[-1]


@given(PIECES, st.integers(0, FRAME - 1))
def test_copied_frames_sit_within_half_a_frame_of_their_picture(spec, grid) -> None:
    pieces = contiguous(spec)
    plan = plan_sound(pieces, grid, first_pts=0, end_pts=10**9)
    assert all(abs(d) <= FRAME // 2 for d in plan.drifts)
    for run in (p for p in plan.parts if isinstance(p, CopyRun)):
        piece, drift = pieces[run.piece], plan.drifts[run.piece]
        # where the run's first frame belongs, by the piece's picture
        belongs = piece.clip_start + (run.first_pts - piece.source_start)
        assert run.clip_start - belongs == drift
        assert run.first_pts >= piece.source_start + MARGIN
        assert run.first_pts + run.packets * FRAME <= piece.source_start + piece.samples - MARGIN


def test_windows_read_the_source_where_the_copies_leave_off() -> None:
    # three pieces of 3 s from different places: every window continues the copied frames
    pieces = contiguous([(10 * RATE + 100, 3 * RATE), (50 * RATE + 7, 3 * RATE), (RATE, 3 * RATE)])
    plan = plan_sound(pieces, 0, first_pts=0, end_pts=10**9)
    parts = plan.parts
    assert [type(p).__name__ for p in parts] == ["Window", "CopyRun"] * 3 + ["Window"]
    for before, window, after in zip(parts[1::2], parts[2::2], parts[3::2], strict=False):
        assert isinstance(before, CopyRun) and isinstance(window, Window)
        assert window.spans[0].source_start == before.first_pts + before.packets * FRAME
        assert not window.spans[0].fade_in and window.spans[0].fade_out
        assert window.spans[1].fade_in
        if isinstance(after, CopyRun):
            last = window.spans[-1]
            assert last.source_start + last.samples == after.first_pts
    assert plan.encoded_frames < 12 * 3  # a few frames a seam, not the clip
    assert plan.copied_frames * FRAME > 8 * RATE


def test_no_frame_before_the_source_or_after_it_is_copied() -> None:
    pieces = contiguous([(0, 3 * RATE)])
    plan = plan_sound(pieces, 0, first_pts=5 * FRAME, end_pts=2 * RATE)
    (run,) = [p for p in plan.parts if isinstance(p, CopyRun)]
    assert run.first_pts >= 5 * FRAME and run.first_pts + run.packets * FRAME <= 2 * RATE
