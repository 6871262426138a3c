"""Smart and keyframe cuts measured on generated media with short GOPs and B-frames.

Copied frames must decode bit-identical to the source's, re-encoded ones at >= 40 dB,
every piece must hold exactly the frames asked for, and audio must stay within a frame.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import pytest
from media import (
    SourceSpec,
    audio_offset,
    decode_planes,
    mp4_index_first,
    psnr,
    read_audio,
    read_barcodes,
)
from test_cut_media import expected_frames

from clipper.cutting.clip import make_clip, plan_mode
from clipper.cutting.modes import CutMode
from clipper.ranges.read import parse_ranges
from clipper.subtitles.model import Cue
from clipper.subtitles.vtt import Track

# 1 s GOPs: piece one has a head, copied GOPs and a tail; piece two runs to the file's end;
# piece three lies inside one GOP (re-encoded whole).
SPEC = SourceSpec(seconds=6.0, gop=25, sample_rate=32000)
RANGES = "0:00.5 - 0:03.3 eins\n0:04.3 - 0:06 zwei\n0:03.4 - 0:03.9 drei\n"


@pytest.fixture(scope="module")
def smart_source(source_factory) -> Path:
    return source_factory(SPEC)


# (B-frames, mode): the GOP structures differ in how far decode order runs ahead.
CASES = {
    "2-b-frames-smart": (2, "smart"),
    "no-b-frames-auto": (0, "auto"),
    "3-b-frames": (3, "auto"),
}


def check_decodes_cleanly(path: Path) -> None:
    """Every packet decodes, decode times rise, and display times are whole frames."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        last_dts = None
        for packet in container.demux(stream):
            if packet.dts is None:
                continue
            assert last_dts is None or packet.dts > last_dts
            last_dts = packet.dts
            for _ in packet.decode():
                pass


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_smart_cut_is_exact_copies_gops_and_keeps_sync(
    case: str, source_factory, tmp_path: Path
) -> None:
    bframes, mode = CASES[case]
    smart_source = source_factory(replace(SPEC, bframes=bframes))
    result = make_clip(smart_source, parse_ranges(RANGES), tmp_path / "clip.mp4", mode=mode)
    plan = result.plan
    assert plan is not None and plan.mode == "smart"
    kinds = [[s.kind for s in p.segments] for p in plan.pieces]
    # a copy stops after the last whole run of B-frames before the end: without B-frames
    # at the end frame itself, else the tail re-encodes at most one run of B-frames
    first = ["encode", "copy"] + (["encode"] if bframes else [])
    assert kinds == [first, ["encode", "copy"], ["encode"]]
    if bframes:
        assert plan.pieces[0].segments[-1].frames <= bframes

    want = expected_frames(RANGES, SPEC.rate, round(SPEC.seconds * SPEC.rate))
    got = read_barcodes(result.video)
    assert got == [n for piece in want for n in piece]  # no dropped, repeated or moved frames
    for piece in result.plan.frame_plan.pieces:
        assert abs(piece.start - Fraction(piece.range.start_ms, 1000)) <= 1 / SPEC.rate
        assert abs(piece.end - Fraction(piece.range.end_ms, 1000)) <= 1 / SPEC.rate

    source_frames = decode_planes(smart_source)
    clip_frames = decode_planes(result.video)
    assert len(clip_frames) == plan.frames
    step = plan.frame_duration
    assert step == Fraction(1, 25)
    for seg in plan.segments:
        first_clip = round(seg.clip_start / step)
        first_source = round(seg.start / step)
        for k in range(seg.frames):
            out, src = clip_frames[first_clip + k], source_frames[first_source + k]
            if seg.kind == "copy":
                assert (out == src).all(), f"copied frame {first_source + k} differs"
            else:
                quality = psnr(out.astype(float), src.astype(float))
                assert quality >= 40, f"re-encoded frame {first_source + k}: {quality:.1f} dB"
    check_decodes_cleanly(result.video)
    assert mp4_index_first(result.video)

    src_audio, out_audio = read_audio(smart_source), read_audio(result.video)
    for piece in result.plan.frame_plan.pieces:
        lag = audio_offset(
            out_audio,
            src_audio,
            float(piece.clip_start) + 0.1,
            float(piece.start) + 0.1,
            length=min(0.5, float(piece.duration) - 0.15),
        )
        assert abs(lag) < 1 / 25, f"piece {piece.range.label!r} audio off by {lag * 1000:.1f} ms"
    assert abs(len(out_audio) / 16000 - float(plan.duration)) < 0.05


@pytest.mark.slow
def test_keyframe_cut_copies_and_reports_snapped_times(smart_source: Path, tmp_path: Path) -> None:
    ranges = parse_ranges("0:01.3 - 0:03.7 eins\n0:04.4 - 0:06 zwei\n")
    transcript = Track([Cue(3500, 4600, "über die Naht", id="a")])
    result = make_clip(
        smart_source, ranges, tmp_path / "k.mp4", mode="keyframe", transcript=transcript
    )
    assert [(p.start, p.end) for p in result.plan.frame_plan.pieces] == [(1, 4), (4, 6)]
    assert read_barcodes(result.video) == list(range(25, 150))
    source_frames = decode_planes(smart_source)
    for k, frame in enumerate(decode_planes(result.video)):
        assert (frame == source_frames[25 + k]).all()
    # subtitles follow the snapped cut: 3.5-4.0 s is at 2.5-3.0 s, 4.0-4.6 s at 3.0-3.6 s
    assert [(c.start_ms, c.end_ms) for c in result.cues] == [(2500, 3000), (3000, 3600)]
    notes = [p.note for p in result.plan.pieces]
    assert notes[0] == (
        "snapped to keyframes: asked 00:00:01.300 - 00:00:03.700, cut 00:00:01.000 - 00:00:04.000"
    )


@pytest.mark.slow
def test_auto_falls_back_to_accurate_for_vfr_and_vp8(source_factory, tmp_path: Path) -> None:
    for spec, why in (
        (SourceSpec(seconds=4.0, gop=25, drop_every=7), "variable"),
        (SourceSpec(seconds=4.0, video_codec="vp8", audio_codec="opus"), "vp8"),
    ):
        plan = plan_mode(source_factory(spec), parse_ranges("0:00.5 - 0:03"), mode="auto")
        assert plan.mode == "accurate"
        assert why in plan.notes[-1]


@pytest.mark.slow
def test_open_gop_source_copies_only_from_idrs(source_factory, tmp_path: Path) -> None:
    """With open GOPs only the first frame is an IDR: nothing to copy, so all re-encoded."""
    source = source_factory(SourceSpec(seconds=4.0, gop=25, open_gop=True, audio_codec=None))
    ranges = parse_ranges("0:00.5 - 0:03.5")
    result = make_clip(source, ranges, tmp_path / "o.mp4", mode="smart")
    assert result.plan.frames_copied == 0
    assert read_barcodes(result.video) == list(range(13, 88))


@pytest.mark.slow
def test_a_failed_splice_check_falls_back_to_accurate(
    smart_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the encoder's output does not match the source, the clip is re-encoded whole."""
    import clipper.cutting.smart_execute as smart_execute

    def mismatch(plan: object, encoded: Path) -> None:
        raise smart_execute.SmartCutError("re-encoded parts do not match the source: level")

    monkeypatch.setattr(smart_execute, "_check_encoded_matches", mismatch)
    ranges = parse_ranges("0:00.5 - 0:03.3")
    result = make_clip(smart_source, ranges, tmp_path / "f.mp4", mode="smart")
    assert result.plan.mode == CutMode.accurate
    assert "smart cut failed a check" in result.plan.notes[-1]
    assert "level" in result.plan.notes[-1]
    assert read_barcodes(result.video) == list(range(13, 83))
    assert [p.name for p in tmp_path.iterdir()] == ["f.mp4"]  # no work files left behind
