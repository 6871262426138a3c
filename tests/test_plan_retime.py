"""The pure parts of cutting: snapping ranges to frames and carrying cues over."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from clipper.cutting.plan import plan_frames, plan_piece
from clipper.errors import RangeError
from clipper.media.probe import FrameWindow
from clipper.ranges.grammar import Range
from clipper.subtitles.model import Cue, unique_ids
from clipper.subtitles.retime import MIN_CUE_MS, Span, retime_cues


def grid(fps: Fraction, count: int, offset: Fraction = Fraction(0)) -> FrameWindow:
    times = [offset + i / fps for i in range(count)]
    return FrameWindow(times=times, stream_end=offset + count / fps)


def test_piece_snaps_to_nearest_frames_at_25fps() -> None:
    piece = plan_piece(Range(1_010, 2_030), grid(Fraction(25), 100), Fraction(0))
    assert piece.start == Fraction(1)  # 1.010 is nearer 1.000 than 1.040
    assert piece.end == Fraction(204, 100)  # 2.030 is nearer 2.040 than 2.000
    assert piece.frames == 26
    assert piece.trim_start == Fraction(98, 100)  # halfway to the previous frame
    assert piece.trim_end == Fraction(202, 100)


def test_piece_at_ntsc_rate_stays_within_half_a_frame() -> None:
    fps = Fraction(30000, 1001)
    window = grid(fps, 400)
    for start_ms in range(0, 5_000, 37):
        piece = plan_piece(Range(start_ms, start_ms + 3_000), window, Fraction(0))
        assert abs(piece.start - Fraction(start_ms, 1000)) <= 1 / fps / 2
        assert abs(piece.end - Fraction(start_ms + 3_000, 1000)) <= 1 / fps / 2


def test_piece_to_stream_end_uses_the_end_of_the_last_frame() -> None:
    window = grid(Fraction(25), 50)  # 2 s
    piece = plan_piece(Range(1_000, 2_000), window, Fraction(0))
    assert piece.end == Fraction(2)
    assert piece.frames == 25
    assert piece.trim_end == Fraction(2)


def test_variable_frame_rate_uses_real_frame_times() -> None:
    times = [Fraction(0), Fraction(1, 10), Fraction(3, 10), Fraction(35, 100), Fraction(9, 10)]
    piece = plan_piece(Range(280, 800), FrameWindow(times, None), Fraction(0))
    assert (piece.start, piece.end, piece.frames) == (Fraction(3, 10), Fraction(9, 10), 2)


def test_range_shorter_than_a_frame_is_refused() -> None:
    with pytest.raises(RangeError, match="shorter than one video frame"):
        plan_piece(Range(1_000, 1_010, line=4), grid(Fraction(25), 100), Fraction(0))


def test_plan_places_pieces_back_to_back() -> None:
    fps = Fraction(25)
    ranges = [Range(4_000, 5_000), Range(1_000, 1_500)]  # file order, not time order
    plan = plan_frames(Path("x.mp4"), ranges, [grid(fps, 200)] * 2, has_audio=False)
    assert [p.clip_start for p in plan.pieces] == [Fraction(0), Fraction(1)]
    # 1.5 s lies exactly between the frames at 1.48 and 1.52: ties go to the later frame
    assert plan.duration == Fraction(1) + Fraction(52, 100)
    assert plan.frames == 25 + 13
    assert "no audio" in plan.notes[0]
    assert len(plan.describe()) == 2


def test_retime_clips_shifts_and_drops_short_pieces() -> None:
    cues = [
        Cue(500, 1_500, "vorher", id="1"),
        Cue(1_900, 2_600, "<v Anna>über die Kante</v>", id="2", settings="line:80%"),
        Cue(2_700, 3_000, "drin", id="3"),
        Cue(3_950, 4_500, "zu kurz am Ende", id="4"),
    ]
    spans = [
        Span(Fraction(2), Fraction(4), Fraction(0)),
        Span(Fraction(1), Fraction(1, 1) + Fraction(1, 10), Fraction(2)),
    ]
    out = retime_cues(cues, spans)
    assert [(c.id, c.start_ms, c.end_ms) for c in out] == [
        ("2", 0, 600),
        ("3", 700, 1_000),
    ]
    assert out[0].text == "<v Anna>über die Kante</v>" and out[0].settings == "line:80%"
    assert MIN_CUE_MS == 250


def test_retime_keeps_a_short_cue_that_the_cut_leaves_whole() -> None:
    """Only fragments cut short are dropped: a 0.2 s "Ja." is in the full captions, so the
    clip keeps it too (its text would otherwise be lost silently)."""
    cues = [
        Cue(1_000, 2_000, "Stimmen Sie zu?", id="1"),
        Cue(2_000, 2_200, "<v Jürgen Groß>Ja.", id="2"),
        Cue(2_900, 3_100, "Ab", id="3"),  # cut at 3.0 s: only 0.1 s left
    ]
    out = retime_cues(cues, [Span(Fraction(1), Fraction(3), Fraction(0))])
    assert [(c.id, c.start_ms, c.end_ms) for c in out] == [("1", 0, 1_000), ("2", 1_000, 1_200)]


def test_retime_makes_ids_unique_when_a_cue_is_split() -> None:
    cues = [Cue(0, 10_000, "lang", id="cue-1")]
    spans = [
        Span(Fraction(1), Fraction(2), Fraction(0)),
        Span(Fraction(5), Fraction(6), Fraction(1)),
    ]
    out = retime_cues(cues, spans)
    assert [c.id for c in out] == ["cue-1", "cue-1-2"]
    assert [(c.start_ms, c.end_ms) for c in out] == [(0, 1_000), (1_000, 2_000)]


def test_retime_uses_the_frame_rounded_cut() -> None:
    fps = Fraction(30000, 1001)
    piece = plan_piece(Range(1_000, 2_000), grid(fps, 200), Fraction(0))
    out = retime_cues([Cue(0, 5_000, "x", id="a")], [Span(piece.start, piece.end, Fraction(0))])
    assert out[0].end_ms == round(float(piece.end - piece.start) * 1000)


def test_unique_ids_leaves_empty_ids_alone() -> None:
    cues = [Cue(0, 1, "a"), Cue(1, 2, "b"), Cue(2, 3, "c", id="x"), Cue(3, 4, "d", id="x")]
    assert [c.id for c in unique_ids(cues)] == ["", "", "x", "x-2"]
