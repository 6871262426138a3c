"""The smart-cut planner on synthetic keyframe lists: no media, just packet times."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import pytest

from clipper.cutting.modes import CutMode
from clipper.cutting.plan import FramePlan, plan_frames
from clipper.cutting.smart import copy_boundaries, copy_end_points, plan_smart, snap_to_keyframes
from clipper.errors import RangeError
from clipper.media.keyframes import AvcConfig, PacketIndex, PacketRef, VideoParams
from clipper.media.probe import FrameWindow
from clipper.ranges.read import parse_ranges

FPS = 25
STEP = Fraction(1, FPS)


def params(codec: str = "h264", pix_fmt: str = "yuv420p", profile: int = 100) -> VideoParams:
    return VideoParams(
        codec=codec,
        width=320,
        height=240,
        pix_fmt=pix_fmt,
        sample_aspect_ratio=None,
        color_primaries=2,
        color_trc=2,
        colorspace=2,
        color_range=0,
        time_base=Fraction(1, 12800),
        fps=Fraction(FPS),
        avc=AvcConfig(profile, 30, 4, [b"\x67"], [b"\x68"]) if codec == "h264" else None,
    )


def index(
    frames: int,
    gop: int,
    *,
    bframes: int = 2,
    non_idr: frozenset[int] = frozenset(),
    times: list[Fraction] | None = None,
    codec: str = "h264",
) -> PacketIndex:
    """Packets in decode order of a closed-GOP stream: I, then P before the B-frames it ends."""
    shown = times or [n * STEP for n in range(frames)]
    order: list[int] = []
    for start in range(0, frames, gop):
        end = min(start + gop, frames)
        order.append(start)
        previous = start
        while previous < end - 1:
            anchor = min(previous + bframes + 1, end - 1)
            order.append(anchor)
            order.extend(range(previous + 1, anchor))
            previous = anchor
    delay = bframes and 1
    packets = [
        PacketRef(
            pts=shown[n],
            dts=(i - delay) * STEP,
            key=n % gop == 0,
            idr=n % gop == 0 and n not in non_idr,
        )
        for i, n in enumerate(order)
    ]
    end_time = shown[-1] + STEP
    return PacketIndex(packets, end_time, params(codec))


def cut(text: str, idx: PacketIndex) -> FramePlan:
    ranges = parse_ranges(text)
    window = FrameWindow(sorted(p.pts for p in idx.packets), idx.stream_end)
    return plan_frames(Path("rec.mp4"), ranges, [window] * len(ranges), has_audio=True)


def kinds(plan_pieces: list) -> list[list[tuple[str, float, float, int]]]:  # type: ignore[type-arg]
    return [
        [(s.kind, float(s.start), float(s.end), s.frames) for s in p.segments] for p in plan_pieces
    ]


def test_copy_boundaries_are_the_idrs_and_the_stream_end() -> None:
    idx = index(100, 25)
    assert copy_boundaries(idx) == [0, 1, 2, 3, 4]


def test_range_inside_one_gop_is_encoded_whole() -> None:
    idx = index(100, 25)
    plan = plan_smart(cut("0:01.2 - 0:01.8", idx), [idx], requested=CutMode.smart)
    assert kinds(plan.pieces) == [[("encode", 1.2, 1.8, 15)]]
    assert plan.pieces[0].note and "no IDR keyframe to copy from" in plan.pieces[0].note
    # decoding starts at the keyframe before the cut
    assert plan.pieces[0].segments[0].decode_from == 1


def test_range_starting_on_an_idr_has_no_head() -> None:
    idx = index(100, 25)
    # 3.52 s (frame 88) ends a run of B-frames: the copy goes on into the GOP up to there
    plan = plan_smart(cut("0:01 - 0:03.5", idx), [idx], requested=CutMode.smart)
    assert kinds(plan.pieces) == [[("copy", 1.0, 3.52, 63)]]


def test_copy_ends_after_the_last_whole_run_of_b_frames() -> None:
    # decode order I0 P3 B1 B2 P6 B4 B5 ...: a prefix may stop before every P-frame
    assert [p * FPS for p in copy_end_points(index(30, 25))] == [
        1, 4, 7, 10, 13, 16, 19, 22, 25, 26, 29, 30
    ]  # fmt: skip


def test_range_end_re_encodes_only_the_frames_after_the_last_reference_frame() -> None:
    idx = index(100, 25)
    plan = plan_smart(cut("0:01 - 0:03.48", idx), [idx], requested=CutMode.smart)
    assert kinds(plan.pieces) == [[("copy", 1.0, 3.4, 60), ("encode", 3.4, 3.48, 2)]]
    tail = plan.pieces[0].segments[1]
    assert tail.decode_from == 3  # decoding starts at the GOP's IDR, encoding at 3.4 s
    assert tail.clip_start == Fraction(60, 25)


def test_range_ending_at_the_file_end_is_copied_to_the_end() -> None:
    idx = index(100, 25)
    plan = plan_smart(cut("0:02.5 - 0:04", idx), [idx], requested=CutMode.smart)
    assert kinds(plan.pieces) == [[("encode", 2.52, 3.0, 12), ("copy", 3.0, 4.0, 25)]]


def test_range_spanning_many_gops_copies_them_in_one_run() -> None:
    idx = index(500, 25)
    plan = plan_smart(
        cut("0:00.5 - 0:15.3\n0:16.1 - 0:19.9", idx), [idx, idx], requested=CutMode.auto
    )
    assert kinds(plan.pieces) == [
        [("encode", 0.52, 1.0, 12), ("copy", 1.0, 15.28, 357), ("encode", 15.28, 15.32, 1)],
        [("encode", 16.12, 17.0, 22), ("copy", 17.0, 19.88, 72), ("encode", 19.88, 19.92, 1)],
    ]
    assert plan.frames_copied + plan.frames_encoded == plan.frames
    # segments lie back to back in the clip
    segments = plan.segments
    for a, b in itertools.pairwise(segments):
        assert a.clip_start + a.frames * STEP == b.clip_start
    assert "auto mode: 429 frames copied" in plan.notes[-1]


def test_b_frames_reorder_depth_is_recorded() -> None:
    with_b = plan_smart(
        cut("0:01 - 0:03", index(100, 25)), [index(100, 25)], requested=CutMode.smart
    )
    without = index(100, 25, bframes=0)
    no_b = plan_smart(cut("0:01 - 0:03", without), [without], requested=CutMode.smart)
    assert with_b.pieces[0].segments[0].reorder == 1
    assert no_b.pieces[0].segments[0].reorder == 0


def test_non_idr_keyframes_are_no_copy_boundaries() -> None:
    idx = index(100, 25, non_idr=frozenset({25, 50}))
    assert copy_boundaries(idx) == [0, 3, 4]
    plan = plan_smart(cut("0:00.5 - 0:04", idx), [idx], requested=CutMode.smart)
    assert kinds(plan.pieces) == [[("encode", 0.52, 3.0, 62), ("copy", 3.0, 4.0, 25)]]


def test_open_gop_leading_frames_disqualify_a_boundary() -> None:
    idx = index(100, 25)
    packets = list(idx.packets)
    # a frame decoded after the IDR at 2 s but shown before it (open GOP): 2 s is no boundary
    at = next(i for i, p in enumerate(packets) if p.pts == 2)
    leading = packets.pop(at - 1)
    packets.insert(at + 1, leading)
    odd = PacketIndex(packets, idx.stream_end, idx.params)
    assert Fraction(2) not in copy_boundaries(odd)


def test_variable_frame_rate_falls_back_to_accurate() -> None:
    times = [n * STEP + (STEP / 2 if n % 7 == 3 else 0) for n in range(100)]
    idx = index(100, 25, times=times)
    plan = plan_smart(cut("0:00.5 - 0:03.5", idx), [idx], requested=CutMode.auto)
    assert plan.mode == "accurate"
    assert "frame rate is variable" in plan.notes[-1]
    assert plan.frames_copied == 0


def test_single_frame_ranges_are_not_called_variable_frame_rate() -> None:
    """One frame has no gap to measure: say that, not 'the frame rate is variable'."""
    idx = index(100, 25)
    plan = plan_smart(cut("0:01.00 - 0:01.04", idx), [idx], requested=CutMode.auto)
    assert plan.mode == "accurate" and plan.frames == 1
    assert "variable" not in plan.notes[-1]
    assert "single frame" in plan.notes[-1]


@pytest.mark.parametrize(
    ("kind", "why"),
    [
        (params("vp8"), "not H.264"),
        (params(pix_fmt="yuv422p"), "pixel format"),
        (params(profile=110), "profile 110"),
    ],
)
def test_unmatchable_streams_fall_back_to_accurate(kind: VideoParams, why: str) -> None:
    base = index(100, 25)
    idx = PacketIndex(base.packets, base.stream_end, kind)
    plan = plan_smart(cut("0:00.5 - 0:03.5", idx), [idx], requested=CutMode.smart)
    assert plan.mode == "accurate"
    assert why in plan.notes[-1] and "smart mode" in plan.notes[-1]


def test_keyframe_mode_snaps_to_the_nearest_idrs() -> None:
    idx = index(250, 25)
    plan = snap_to_keyframes(cut("0:01.3 - 0:03.7 eins\n0:05.6 - 0:10", idx), [idx, idx])
    assert [(p.start, p.end, p.clip_start) for p in plan.frame_plan.pieces] == [
        (1, 4, 0),
        (6, 10, 3),
    ]
    assert kinds(plan.pieces) == [[("copy", 1.0, 4.0, 75)], [("copy", 6.0, 10.0, 100)]]
    assert plan.pieces[0].note and "cut 00:00:01.000 - 00:00:04.000" in plan.pieces[0].note
    assert plan.pieces[1].note and "asked 00:00:05.600" in plan.pieces[1].note


def test_keyframe_mode_refuses_other_codecs() -> None:
    base = index(100, 25)
    idx = PacketIndex(base.packets, base.stream_end, params("vp8"))
    with pytest.raises(RangeError, match=r"keyframe mode copies H\.264"):
        snap_to_keyframes(cut("0:01 - 0:02", idx), [idx])


def test_keyframe_mode_says_when_snapped_pieces_overlap() -> None:
    idx = index(250, 25)
    plan = snap_to_keyframes(cut("0:01.3 - 0:03.2\n0:03.4 - 0:05", idx), [idx, idx])
    assert [(p.start, p.end) for p in plan.frame_plan.pieces] == [(1, 3), (3, 5)]
    assert not any("overlap" in n for n in plan.notes)
    plan = snap_to_keyframes(cut("0:01.3 - 0:03.6\n0:03.7 - 0:05", idx), [idx, idx])
    assert [(p.start, p.end) for p in plan.frame_plan.pieces] == [(1, 4), (4, 5)]
    plan = snap_to_keyframes(cut("0:01.6 - 0:01.7\n0:02.1 - 0:02.2", idx), [idx, idx])
    assert [(p.start, p.end) for p in plan.frame_plan.pieces] == [(2, 3), (2, 3)]
    assert "pieces 1 and 2 overlap" in plan.notes[-1]
