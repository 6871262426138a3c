"""A smart cut's sound heard as tones: every second of the source has its own pure tone,
each range lies inside one second, so the clip must play each range's tone unbroken (no
gap, no repeat, no click where copied frames and encoded windows meet, nor at the clip's
start) right up to its seams, and its neighbours' tones on the other side of them.

A slip of one sample at a 1 kHz tone leaves a residue of ~10% of the tone behind the slip
(20% at 2 kHz) and silence a whole one; the AAC coding of a pure tone leaves under 4% next
to a seam and 0.5% elsewhere (measured)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from clipper.cutting.audio_plan import FRAME, CopyRun
from clipper.cutting.clip import make_clip
from clipper.cutting.smart_audio import sound_plan
from clipper.media.ffmpeg import run_ffmpeg
from clipper.ranges.read import parse_ranges

pytestmark = pytest.mark.slow

SECONDS = 31
GUARD = Fraction(7, 1000)  # s: the 5 ms seam fade and 2 ms more; no tone is judged there
BLOCK = 256  # samples per judged block
LIMIT = 0.05  # largest residue of a block, relative to the tone's amplitude


def tone(second: int) -> int:
    """Hz of the tone in the source's `second` (all distinct, far from each other's)."""
    return 1000 + 37 * second


def make_tone_source(path: Path, rate: int, channels: int) -> Path:
    """A recording whose second k sounds tone(k), with a 0.4 s GOP of H.264 (no B-frames)."""
    video = f"testsrc2=size=320x240:rate=25:duration={SECONDS}"
    sound = f"aevalsrc=0.5*sin(2*PI*(1000+37*floor(t))*t):s={rate}:d={SECONDS}"
    layout = "mono" if channels == 1 else "stereo"
    sound += f",aformat=channel_layouts={layout}"
    args = ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", sound]
    args += ["-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast"]
    args += ["-pix_fmt", "yuv420p", "-g", "10", "-bf", "0", "-c:a", "aac", "-b:a", "128k"]
    run_ffmpeg([*args, "-shortest", "-y", str(path)], what="making a tone recording")
    return path


def decoded(path: Path) -> tuple[np.ndarray, int]:
    """The first channel of `path`'s sound at its own rate, from clip time 0."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        frames = list(container.decode(stream))
        assert frames[0].pts == 0
        rate = stream.codec_context.sample_rate
        return np.concatenate([f.to_ndarray()[0] for f in frames]).astype(np.float64), rate


def residues(audio: np.ndarray, rate: int, low: int, high: int, hz: int) -> list[float]:
    """How far each block of audio[low:high] is from the one pure `hz` tone fitted to all
    of it (any phase and amplitude), relative to that tone's amplitude."""
    t = np.arange(low, high) / rate
    basis = np.stack([np.sin(2 * np.pi * hz * t), np.cos(2 * np.pi * hz * t)], axis=1)
    coef, *_ = np.linalg.lstsq(basis, audio[low:high], rcond=None)
    amplitude = float(np.hypot(*coef))
    assert amplitude > 0.2, f"the {hz} Hz tone is missing"
    error = audio[low:high] - basis @ coef
    blocks = range(0, high - low - BLOCK // 2, BLOCK)
    rms = [float(np.sqrt(np.mean(error[b : b + BLOCK] ** 2))) for b in blocks]
    return [r * np.sqrt(2) / amplitude for r in rms]


# thirty ranges of 0.7 s in a scrambled order: seams of every kind, and any error that
# added up from seam to seam would be ~30 times the one of the first
THIRTY = [(7 * i) % SECONDS for i in range(30)]
SIX = [3, 11, 4, 20, 19, 7]


@pytest.mark.parametrize(
    ("rate", "channels", "seconds"),
    [(32000, 1, THIRTY), (48000, 2, SIX)],
    ids=["32k-mono-thirty", "48k-stereo-six"],
)
def test_each_range_sounds_its_own_tone_unbroken_up_to_its_seams(
    rate: int, channels: int, seconds: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("tones")
    source = make_tone_source(folder / f"tones-{rate}.mp4", rate, channels)
    text = "".join(f"0:{k:02d}.12 - 0:{k:02d}.82 s{k}\n" for k in seconds)
    result = make_clip(source, parse_ranges(text), folder / "clip.mp4", mode="smart")
    assert result.plan is not None and result.plan.mode == "smart"
    planned = sound_plan(result.plan)
    assert planned is not None
    sound, _ = planned
    copied = {p.piece for p in sound.parts if isinstance(p, CopyRun)}
    assert copied == set(range(len(seconds))), "every piece has copied frames in its middle"

    audio, clip_rate = decoded(result.video)
    assert clip_rate == rate
    pieces = result.plan.frame_plan.pieces
    end = pieces[-1].clip_start + pieces[-1].duration
    # the track ends within one frame after the picture (no piece's sound cut off or long)
    assert end * rate <= len(audio) < end * rate + FRAME
    worst: list[tuple[float, str]] = []
    for piece, second in zip(pieces, seconds, strict=True):
        low = int((piece.clip_start + GUARD) * rate)
        high = int((piece.clip_start + piece.duration - GUARD) * rate)
        found = residues(audio, rate, low, high, tone(second))
        worst.append((max(found), piece.range.label))
    assert max(worst)[0] < LIMIT, sorted(worst, reverse=True)[:5]
