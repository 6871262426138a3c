"""Cuts measured on generated media: which frames, how many, and whether audio stays in sync."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from pathlib import Path

import av
import pytest
from media import SourceSpec, audio_offset, mp4_index_first, read_audio, read_barcodes

from clipper.cutting.clip import make_clip
from clipper.ranges.read import parse_ranges
from clipper.subtitles import read_subtitles
from clipper.subtitles.model import Cue
from clipper.subtitles.vtt import Track

RANGES = "0:01.30 - 0:02.70 erster Teil\n0:04,02 - 0:05.5 zweiter Teil\n0:06.1 - 0:07.3\n"


def assert_even_time_line(clip: Path, frame: Fraction) -> None:
    """Every frame lasts one frame duration: no gaps in the picture's time line at seams."""
    from media import decode_gray

    times = [t for t, _ in decode_gray(clip)]
    with av.open(str(clip)) as container:
        tick = Fraction(container.streams.video[0].time_base)
    gaps = [(i, b - a) for i, (a, b) in enumerate(itertools.pairwise(times))]
    assert [(i, float(g)) for i, g in gaps if abs(g - frame) > tick] == []


def recording_times(path: Path) -> list[Fraction]:
    """Frame times from the container's start (what players and transcripts count from)."""
    from media import decode_gray

    with av.open(str(path)) as container:
        origin = Fraction(container.start_time or 0, 1_000_000)
    return [t - origin for t, _ in decode_gray(path)]


def expected_frames_vfr(ranges_text: str, times: list[Fraction]) -> list[list[int]]:
    """Oracle for sources with irregular frame times: snap to the nearest real frame time."""

    def nearest(t: Fraction) -> int:
        return min(range(len(times)), key=lambda i: (abs(times[i] - t), -i))

    pieces = []
    for r in parse_ranges(ranges_text):
        first, end = nearest(Fraction(r.start_ms, 1000)), nearest(Fraction(r.end_ms, 1000))
        pieces.append(list(range(first, end)))
    return pieces


def expected_frames(ranges_text: str, fps: Fraction, total_frames: int) -> list[list[int]]:
    """Independent oracle: each boundary snaps to the nearest frame (ties to the later)."""
    pieces = []
    for r in parse_ranges(ranges_text):
        first = math.floor(Fraction(r.start_ms, 1000) * fps + Fraction(1, 2))
        end = min(math.floor(Fraction(r.end_ms, 1000) * fps + Fraction(1, 2)), total_frames)
        pieces.append(list(range(first, end)))
    return pieces


CASES = {
    "mp4-h264-aac-mono-25": SourceSpec(),
    "mp4-audio-first-stereo": SourceSpec(audio_first=True, channels=2, sample_rate=44100),
    "mp4-ntsc-30000-1001": SourceSpec(fps="30000/1001", sample_rate=32000),
    "mp4-15fps": SourceSpec(fps="15", gop=30),
    "webm-vp8-opus": SourceSpec(video_codec="vp8", audio_codec="opus", channels=2),
    "webm-vp8-vorbis-mono": SourceSpec(video_codec="vp8", audio_codec="vorbis"),
    "mp4-no-audio": SourceSpec(audio_codec=None),
    "mp4-starts-at-5s": SourceSpec(start_offset=5.0),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_cut_is_frame_accurate_and_in_sync(case: str, source_factory, tmp_path: Path) -> None:
    spec = CASES[case]
    source = source_factory(spec)
    total = round(spec.seconds * spec.rate)
    ranges = parse_ranges(RANGES)
    output = tmp_path / "clip.mp4"
    transcript = Track([Cue(1000, 2000, "<v Anna>Grüß Gott</v>", id="a")])
    result = make_clip(source, ranges, output, transcript=transcript)

    if spec.start_offset:
        # recording time counts from the container's start (here the audio's, 21 ms earlier)
        want = expected_frames_vfr(RANGES, recording_times(source))
    else:
        want = expected_frames(RANGES, spec.rate, total)
    got = read_barcodes(output)
    assert got == [n for piece in want for n in piece]  # no dropped, repeated or moved frames
    assert result.plan.frames == len(got)
    for piece, frames in zip(result.plan.frame_plan.pieces, want, strict=True):
        assert piece.frames == len(frames)
        # within one frame of what was asked
        assert abs(piece.start - Fraction(piece.range.start_ms, 1000)) <= 1 / spec.rate
        assert abs(piece.end - Fraction(piece.range.end_ms, 1000)) <= 1 / spec.rate

    assert_even_time_line(output, 1 / spec.rate)

    with av.open(str(output)) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        assert video.codec_context.pix_fmt == "yuv420p"
        audio_streams = list(container.streams.audio)
        if spec.audio_codec is None:
            assert audio_streams == []
            assert any("no audio" in note for note in result.plan.notes)
        else:
            assert audio_streams[0].codec_context.name == "aac"
    assert mp4_index_first(output)

    if spec.audio_codec is not None:
        src_audio, out_audio = read_audio(source), read_audio(output)
        frame = 1 / float(spec.rate)
        for piece in result.plan.frame_plan.pieces:
            lag = audio_offset(
                out_audio, src_audio, float(piece.clip_start) + 0.1, float(piece.start) + 0.1
            )
            assert abs(lag) < frame, f"piece {piece.range.label!r} audio off by {lag * 1000:.1f} ms"
        # audio is as long as the picture (no drift over the clip)
        assert abs(len(out_audio) / 16000 - float(result.plan.duration)) < 0.05

    cues = read_subtitles(output.with_suffix(".vtt")).cues
    first = result.plan.frame_plan.pieces[0]
    assert [(c.start_ms, c.end_ms) for c in cues] == [(0, 2000 - first.start_ms)]
    assert cues[0].voice == "Anna"


@pytest.mark.slow
def test_cut_of_real_sample_keeps_all_frames(tmp_path: Path) -> None:
    """friday.mp4 (audio is stream 0, 30 fps) cut through to its end."""
    from conftest import DATA

    source = DATA / "friday.mp4"
    ranges = parse_ranges("0:00.5 - 0:01.5 eins\n0:03 - 0:06.5 zwei\n")
    result = make_clip(
        source, ranges, tmp_path / "f.mp4", transcript=read_subtitles(DATA / "friday.vtt")
    )
    with av.open(str(result.video)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == result.plan.frames == 30 + (185 - 90)
    assert any("past the recording's end" in n for n in result.plan.notes)
    cues = read_subtitles(result.subtitles).cues  # type: ignore[arg-type]
    assert cues[0].settings == "line:80%"
    assert (cues[-1].start_ms, cues[-1].end_ms) == (1000 + 4300 - 3000, 1000 + 6000 - 3000)


@pytest.mark.slow
def test_cut_of_real_webm_matches_source_frames(tmp_path: Path) -> None:
    """Tears of Steel (VP8/Vorbis, 24 fps): every clip frame is the source frame it should be."""
    from conftest import DATA
    from media import decode_gray, psnr

    source = DATA / "tears-of-steel-battle-clip-medium.webm"
    ranges = parse_ranges("0:10,5 - 0:12.25 eins\n0:40 - 0:41.5 zwei\n")
    result = make_clip(source, ranges, tmp_path / "t.mp4")
    source_frames = decode_gray(source)
    clip_frames = decode_gray(result.video)
    assert len(clip_frames) == result.plan.frames
    times = [t for t, _ in source_frames]
    expected = []
    for piece in result.plan.frame_plan.pieces:
        expected += [i for i, t in enumerate(times) if piece.start <= t < piece.end]
    assert len(expected) == len(clip_frames)
    for (_, got), index in zip(clip_frames, expected, strict=True):
        match = psnr(got, source_frames[index][1])
        assert match > 30, f"frame {index}: {match:.1f} dB"
        # and it is closer to its own source frame than to the neighbours (no one-frame slip)
        for other in (index - 1, index + 1):
            if 0 <= other < len(source_frames):
                assert match >= psnr(got, source_frames[other][1])


@pytest.mark.slow
def test_cut_of_variable_frame_rate_source(source_factory, tmp_path: Path) -> None:
    """One frame in seven is missing (as in Zoom recordings): the cut follows real frame times."""
    spec = SourceSpec(drop_every=7)
    source = source_factory(spec)
    times = recording_times(source)
    shown = read_barcodes(source)
    result = make_clip(source, parse_ranges(RANGES), tmp_path / "vfr.mp4")
    want = [shown[i] for piece in expected_frames_vfr(RANGES, times) for i in piece]
    assert read_barcodes(result.video) == want
    src_audio, out_audio = read_audio(source), read_audio(result.video)
    for piece in result.plan.frame_plan.pieces:
        lag = audio_offset(
            out_audio, src_audio, float(piece.clip_start) + 0.1, float(piece.start) + 0.1
        )
        assert abs(lag) < 0.04


@pytest.mark.slow
def test_joined_recording_has_no_gaps_at_seams(source_factory, tmp_path: Path) -> None:
    """A recording joined from takes (audio packets overlap at the joins): the clip's picture
    must still run without gaps, which happens when a piece's audio comes out too long."""
    from clipper.media.ffmpeg import run_ffmpeg

    take = source_factory(SourceSpec(seconds=6.0, gop=250, sample_rate=32000))
    listing = tmp_path / "takes.txt"
    listing.write_text("".join(f"file '{take}'\n" for _ in range(3)), encoding="utf-8")
    joined = tmp_path / "joined.mp4"
    run_ffmpeg(["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(joined)])
    ranges = parse_ranges("0:01 - 0:03\n0:05.5 - 0:07.5\n0:11.2 - 0:13\n0:16 - 0:17\n")
    result = make_clip(joined, ranges, tmp_path / "clip.mp4", mode="accurate")
    assert len(read_barcodes(result.video)) == result.plan.frames
    assert_even_time_line(result.video, Fraction(1, 25))
