"""Encoding a smart cut's parts in several ffmpeg runs at once: shares, and the result."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from media import SourceSpec, decode_planes, psnr, read_barcodes
from test_cut_media import expected_frames
from test_smart_cut_media import check_decodes_cleanly

from clipper.cutting import smart_parts
from clipper.cutting.clip import make_clip
from clipper.cutting.cut_plan import Segment
from clipper.cutting.smart_parts import MIN_CHUNK, Chunk, plan_jobs
from clipper.ranges.read import parse_ranges


def segments(*frames: int) -> list[Segment]:
    return [Segment("encode", Fraction(0), Fraction(1), n, Fraction(0)) for n in frames]


def test_every_frame_goes_to_exactly_one_run_in_order() -> None:
    segs = segments(12, 240, 3, 1, 130, 60)
    jobs = plan_jobs(segs, 2, Path("/w"))
    assert len(jobs) == 2
    chunks = [c for job in jobs for c in job.chunks]
    for number, seg in enumerate(segs):
        mine = [c for c in chunks if c.segment == number]
        assert sum(c.frames for c in mine) == seg.frames
        assert [c.offset for c in mine] == [
            sum(c.frames for c in mine[:k]) for k in range(len(mine))
        ]
    assert [c.segment for c in chunks] == sorted(c.segment for c in chunks)
    assert all(c.frames >= 1 for c in chunks)
    assert len({job.path for job in jobs}) == 2


def test_a_long_segment_is_split_but_no_chunk_is_tiny() -> None:
    jobs = plan_jobs(segments(400), 4, Path("/w"))
    assert [job.chunks for job in jobs] == [
        (Chunk(0, 0, 100),), (Chunk(0, 100, 100),), (Chunk(0, 200, 100),), (Chunk(0, 300, 100),)
    ]  # fmt: skip
    few = plan_jobs(segments(MIN_CHUNK + 10), 4, Path("/w"))
    assert [job.chunks for job in few] == [(Chunk(0, 0, MIN_CHUNK + 10),)]
    assert plan_jobs([], 4, Path("/w")) == []


def test_a_run_never_gets_more_chunks_than_inputs_allowed() -> None:
    jobs = plan_jobs(segments(*([1] * 100)), 1, Path("/w"))
    assert all(len(job.chunks) <= smart_parts.MAX_INPUTS for job in jobs)
    assert sum(job.frames for job in jobs) == 100


@pytest.mark.slow
def test_parts_split_inside_a_gop_join_exactly(
    source_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With tiny chunks and three runs, a head is encoded in pieces by different runs:
    the clip still holds exactly the frames asked for, each re-encoded one at >= 40 dB."""
    spec = SourceSpec(seconds=6.0, gop=75, sample_rate=32000)
    source = source_factory(spec)
    monkeypatch.setattr(smart_parts, "MIN_CHUNK", 5)
    monkeypatch.setattr(smart_parts, "workers", lambda: 3)
    ranges = "0:00.4 - 0:04.1 eins\n0:04.5 - 0:05.2 zwei\n"
    result = make_clip(source, parse_ranges(ranges), tmp_path / "c.mp4", mode="smart")
    plan = result.plan
    assert plan.mode == "smart"
    assert len(plan_jobs([s for s in plan.segments if s.kind == "encode"], 3, tmp_path)) == 3
    want = expected_frames(ranges, spec.rate, round(spec.seconds * spec.rate))
    assert read_barcodes(result.video) == [n for piece in want for n in piece]
    source_frames, clip_frames = decode_planes(source), decode_planes(result.video)
    step = Fraction(1, 25)
    for seg in plan.segments:
        for k in range(seg.frames):
            out = clip_frames[round(seg.clip_start / step) + k]
            src = source_frames[round(seg.start / step) + k]
            if seg.kind == "copy":
                assert (out == src).all()
            else:
                assert psnr(out.astype(float), src.astype(float)) >= 40
    check_decodes_cleanly(result.video)
