"""A smart cut's sound, measured: the source's AAC frames copied bit for bit inside each
piece, only the seams encoded, no gap or overlap, and each piece in sync with its picture
(within half an AAC frame) in its copied middle and its encoded edges alike."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import av
import pytest
from media import SourceSpec, audio_offset, read_audio

from clipper.cutting.audio_plan import FRAME, CopyRun
from clipper.cutting.clip import make_clip
from clipper.cutting.smart_audio import sound_plan
from clipper.ranges.read import parse_ranges

pytestmark = pytest.mark.slow

THREE = "0:00.5 - 0:03.3 eins\n0:06.3 - 0:09.6 zwei\n0:03.4 - 0:05.9 drei\n"
# twenty short pieces: the error of each seam must not add up
MANY = "".join(
    f"0:{start:05.2f} - 0:{start + 0.45:05.2f} s{i}\n"
    for i, start in enumerate((i * 7) % 20 * 0.55 + 0.1 for i in range(20))
)


def _packets(path: Path) -> dict[int, bytes]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return {p.pts: bytes(p) for p in container.demux(stream) if p.pts is not None and p.size}


@pytest.mark.parametrize(
    ("rate", "channels", "ranges"),
    [(32000, 1, THREE), (48000, 2, THREE), (32000, 1, MANY)],
    ids=["32k-mono", "48k-stereo", "twenty-pieces"],
)
def test_sound_is_copied_inside_pieces_and_in_sync_everywhere(
    rate: int, channels: int, ranges: str, source_factory, tmp_path: Path
) -> None:
    source = source_factory(
        SourceSpec(seconds=12.0, gop=25, sample_rate=rate, channels=channels, bframes=0)
    )
    result = make_clip(source, parse_ranges(ranges), tmp_path / "clip.mp4", mode="smart")
    assert result.plan is not None and result.plan.mode == "smart"
    planned = sound_plan(result.plan)
    assert planned is not None, "plain AAC-LC must be copied"
    sound, _ = planned
    runs = [p for p in sound.parts if isinstance(p, CopyRun)]
    assert runs and sound.copied_frames > sound.encoded_frames

    # the copied frames are the source's bytes, and the track has no gap and no overlap
    made, original = _packets(result.video), _packets(source)
    for run in runs:
        for k in range(run.packets):
            at = run.clip_start + k * FRAME
            assert made[at] == original[run.first_pts + k * FRAME], f"frame at {at} differs"
    # one priming frame before the clip's start (hidden by the edit list, so the first
    # frame decodes whole), then frames one after the other up to the picture's end
    times = sorted(made)
    assert times[0] == -FRAME and all(b - a == FRAME for a, b in itertools.pairwise(times))
    duration = float(result.plan.duration)
    assert duration <= (len(times) - 1) * FRAME / rate < duration + FRAME / rate
    with av.open(str(result.video)) as container:
        assert next(container.decode(audio=0)).pts == 0

    # in sync: each piece's lag is the same at its encoded start, copied middle and
    # encoded end (no jump where copy and window meet), and within half a frame
    clip_audio, source_audio = read_audio(result.video), read_audio(source)
    for piece in result.plan.frame_plan.pieces:
        length = float(piece.duration)
        probes = [0.03, length / 2 - 0.05, length - 0.09]
        lags = [
            audio_offset(
                clip_audio,
                source_audio,
                float(piece.clip_start) + at,
                float(piece.start) + at,
                length=0.06,
                search=0.05,
            )
            for at in probes
        ]
        assert max(lags) - min(lags) <= 0.001, (piece.range.label, lags)
        assert all(abs(lag) <= FRAME / 2 / rate + 0.001 for lag in lags), lags


def test_sound_that_is_not_plain_aac_is_encoded_whole(source_factory, tmp_path: Path) -> None:
    # (VP8 sources are cut accurately anyway; an MP4 with two sound tracks is not plain)
    source = source_factory(SourceSpec(seconds=6.0, gop=25, sample_rate=32000, bframes=0))
    two = tmp_path / "zwei-tonspuren.mp4"
    av_args = ["-i", str(source), "-map", "0:v", "-map", "0:a", "-map", "0:a", "-c", "copy"]
    from clipper.media.ffmpeg import run_ffmpeg

    run_ffmpeg([*av_args, "-y", str(two)], what="two tracks")
    result = make_clip(two, parse_ranges("0:00.5 - 0:04.3"), tmp_path / "clip.mp4", mode="smart")
    assert result.plan is not None and sound_plan(result.plan) is None
    clip_audio = read_audio(result.video)
    assert abs(len(clip_audio) / 16000 - float(Fraction(19, 5))) < 0.05


def test_sound_whose_frames_jump_is_encoded_whole(source_factory, tmp_path: Path) -> None:
    # plain AAC-LC at first sight, but 512 samples missing at 3 s (as where a recorder
    # dropped sound): copying stops there, and the whole clip's sound is encoded instead
    source = source_factory(SourceSpec(seconds=6.0, gop=25, sample_rate=32000, bframes=0))
    jumpy = tmp_path / "sprung.mp4"
    from clipper.media.ffmpeg import run_ffmpeg

    jump = "setts=ts=if(gte(PTS\\,96000)\\,PTS+512\\,PTS)"
    run_ffmpeg(["-i", str(source), "-c", "copy", "-bsf:a", jump, "-y", str(jumpy)], what="jump")
    result = make_clip(jumpy, parse_ranges("0:01.12 - 0:04.82"), tmp_path / "clip.mp4")
    assert result.plan is not None and result.plan.mode == "smart"
    planned = sound_plan(result.plan)
    assert planned is not None and any(isinstance(p, CopyRun) for p in planned[0].parts)
    with av.open(str(result.video)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.sample_rate == 48000  # the whole-clip encode's rate
    clip_audio = read_audio(result.video)
    assert abs(len(clip_audio) / 16000 - float(Fraction(37, 10))) < 0.05
