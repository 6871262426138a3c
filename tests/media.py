"""Test media made on the fly with ffmpeg, and measurements of what a cut produced.

Every generated frame carries its own frame number as a 12-bit barcode along the top edge,
so a test can read back exactly which source frames a clip contains. The audio is seeded
noise, so the position of any stretch of output audio in the source can be found by
cross-correlation (the A/V offset of each piece).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from clipper.media.ffmpeg import run_ffmpeg

BITS = 12
BLOCK = 20  # px per bit
WIDTH, HEIGHT = 320, 240


@dataclass(frozen=True)
class SourceSpec:
    fps: str = "25"
    seconds: float = 8.0
    video_codec: str = "h264"  # or "vp8"
    audio_codec: str | None = "aac"  # "aac", "opus", "vorbis" or None
    channels: int = 1
    sample_rate: int = 48000
    audio_first: bool = False
    gop: int = 50
    start_offset: float = 0.0  # container start time (some recorders do not start at 0)
    drop_every: int = 0  # drop one frame in N: a variable frame rate, like Zoom's
    bframes: int = 2  # H.264 B-frames between references
    open_gop: bool = False  # H.264: recovery-point I-frames instead of IDRs inside the stream

    @property
    def suffix(self) -> str:
        return ".webm" if self.video_codec == "vp8" else ".mp4"

    @property
    def rate(self) -> Fraction:
        return Fraction(self.fps)


def make_source(path: Path, spec: SourceSpec) -> Path:
    """Generate a test recording with a frame-number barcode and noise audio."""
    barcode = (
        f"geq=lum='if(lt(Y,16),if(lt(X,{BITS * BLOCK}),"
        f"255*mod(floor(N/pow(2,floor(X/{BLOCK}))),2),128),p(X,Y))'"
        ":cb='p(X,Y)':cr='p(X,Y)'"
    )
    video_in = f"testsrc2=size={WIDTH}x{HEIGHT}:rate={spec.fps}:duration={spec.seconds},{barcode}"
    if spec.drop_every:
        video_in += f",select='not(eq(mod(n\\,{spec.drop_every})\\,3))'"
    args = ["-f", "lavfi", "-i", video_in]
    if spec.audio_codec:
        layout = "mono" if spec.channels == 1 else "stereo"
        noise = (
            f"anoisesrc=d={spec.seconds}:c=pink:r={spec.sample_rate}:a=0.5:seed=42,"
            f"aformat=channel_layouts={layout}"
        )
        args += ["-f", "lavfi", "-i", noise]
    maps = ["-map", "0:v"]
    if spec.audio_codec:
        maps = (
            ["-map", "1:a", "-map", "0:v"] if spec.audio_first else ["-map", "0:v", "-map", "1:a"]
        )
    if spec.video_codec == "h264":
        codec = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-pix_fmt", "yuv420p"]
        codec += ["-g", str(spec.gop), "-bf", str(spec.bframes)]
        if spec.open_gop:
            codec += ["-x264-params", "open-gop=1:scenecut=0"]
    else:
        codec = ["-c:v", "libvpx", "-b:v", "2M", "-g", str(spec.gop)]
    if spec.audio_codec:
        codec += {
            "aac": ["-c:a", "aac", "-b:a", "192k"],
            "opus": ["-c:a", "libopus", "-b:a", "128k"],
            "vorbis": ["-c:a", "libvorbis", "-q:a", "6"],
        }[spec.audio_codec]
    timing = ["-fps_mode", "passthrough"] if spec.drop_every else []
    if spec.start_offset:
        timing += ["-output_ts_offset", str(spec.start_offset)]
    run_ffmpeg(
        [*args, *maps, *codec, *timing, "-shortest", "-y", str(path)], what="making test media"
    )
    return path


def read_barcodes(path: Path) -> list[int]:
    """The frame number shown by every decoded frame of `path`, in display order."""
    numbers = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            gray = frame.to_ndarray(format="gray")
            row = gray[8]
            bits = [int(row[b * BLOCK + BLOCK // 2] > 128) for b in range(BITS)]
            numbers.append(sum(bit << b for b, bit in enumerate(bits)))
    return numbers


def read_audio(path: Path, rate: int = 16000) -> np.ndarray:
    """The audio of `path`, mixed to mono float32 at `rate` Hz."""
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        chunks = []
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)


def audio_offset(
    clip_audio: np.ndarray,
    source_audio: np.ndarray,
    clip_at: float,
    source_at: float,
    *,
    rate: int = 16000,
    length: float = 0.5,
    search: float = 0.3,
) -> float:
    """Seconds by which the clip's audio at `clip_at` lags the source audio at `source_at`.

    Finds where a stretch of the clip's audio best matches the source (normalised
    cross-correlation within +-search seconds). 0 means perfectly in sync.
    """
    n = int(length * rate)
    a = int(clip_at * rate)
    piece = clip_audio[a : a + n].astype(np.float64)
    lo = max(0, int((source_at - search) * rate))
    hi = min(len(source_audio), int((source_at + search) * rate) + n)
    window = source_audio[lo:hi].astype(np.float64)
    piece = (piece - piece.mean()) / (piece.std() + 1e-9)
    best, best_at = -np.inf, lo
    for start in range(0, len(window) - n + 1, 4):
        seg = window[start : start + n]
        score = float(np.dot(piece, (seg - seg.mean()) / (seg.std() + 1e-9)))
        if score > best:
            best, best_at = score, lo + start
    # refine to the sample
    for start in range(max(lo, best_at - 4), min(hi - n, best_at + 4) + 1):
        seg = source_audio[start : start + n].astype(np.float64)
        score = float(np.dot(piece, (seg - seg.mean()) / (seg.std() + 1e-9)))
        if score > best:
            best, best_at = score, start
    return (best_at / rate) - source_at


def mp4_index_first(path: Path) -> bool:
    with path.open("rb") as f:
        while True:
            header = f.read(8)
            if len(header) < 8:
                return False
            size, kind = struct.unpack(">I4s", header)
            if kind == b"moov":
                return True
            if kind == b"mdat":
                return False
            f.seek(size - 8, 1)


def decode_gray(path: Path) -> list[tuple[Fraction, np.ndarray]]:
    """Every frame of `path` as (presentation time, grey image), in display order."""
    frames = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        tb = Fraction(stream.time_base)
        for frame in container.decode(stream):
            frames.append((frame.pts * tb, frame.to_ndarray(format="gray").astype(np.float64)))
    frames.sort(key=lambda item: item[0])
    return frames


def decode_planes(path: Path) -> list[np.ndarray]:
    """Every frame of `path` as its raw yuv420p planes, in display order (for bit-exactness)."""
    frames = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            frames.append((frame.pts, frame.to_ndarray(format="yuv420p")))
    frames.sort(key=lambda item: item[0])
    return [planes for _, planes in frames]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return 99.0 if mse == 0 else 10 * float(np.log10(255.0**2 / mse))
