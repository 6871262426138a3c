"""Derived media for publishing: web-ready copies and poster images.

The original recording is only ever read. A web copy is a remux (no re-encode) when the
codecs already play in browsers, else a transcode to H.264/AAC; both put the index first.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av

from clipper.files.atomic import atomic_path
from clipper.i18n import _
from clipper.media.bitrate import RateRule, audio_bitrate, measure_source, video_rate_options
from clipper.media.ffmpeg import ProgressCallback, media_url, run_ffmpeg
from clipper.media.probe import MediaInfo, open_media


def make_web_copy(
    info: MediaInfo,
    output: Path,
    *,
    progress: ProgressCallback | None = None,
    rates: RateRule | None = None,
) -> str:
    """Write a browser-ready MP4 of `info.path`; returns "remux" or "transcode".

    A transcode aims at the source's bitrate (`rates`, default RateRule(); see bitrate.py).
    """
    video, audio = info.require_video(), info.audio
    maps = ["-map", f"0:{video.index}"] + (["-map", f"0:{audio.index}"] if audio else [])
    if info.web_codecs:
        mode = "remux"
        codec_args = ["-c", "copy"]
    else:
        mode = "transcode"
        codec_args = ["-c:v", "libx264", "-preset", "fast", "-crf", "20", "-pix_fmt", "yuv420p"]
        codec_args += ["-profile:v", "high"]
        rule = rates or RateRule()
        rate = measure_source(info.path)
        for key, value in video_rate_options(rule, rate).items():
            codec_args += [f"-{key}", str(value)]
        if audio:
            codec_args += ["-c:a", "aac", "-b:a", audio_bitrate(rule, rate)]
    with atomic_path(output) as tmp:
        run_ffmpeg(
            [
                "-i",
                media_url(info.path),
                *maps,
                *codec_args,
                "-sn",
                "-dn",
                "-map_chapters",
                "-1",
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
                "-y",
                media_url(tmp),
            ],
            progress=progress,
            what=_("making the web copy of {name}").format(name=info.path.name),
        )
    return mode


def _luma_stats(frame: av.VideoFrame) -> tuple[float, float]:
    """Mean and spread of a frame's brightness, from a sample of its luma plane."""
    plane = frame.planes[0]
    data = bytes(plane)
    sample = data[:: max(1, len(data) // 4096)]
    mean = sum(sample) / len(sample)
    spread = (sum((v - mean) ** 2 for v in sample) / len(sample)) ** 0.5
    return mean, spread


def pick_poster_time(path: Path, candidates: list[Fraction]) -> Fraction:
    """The first candidate time whose frame is neither black nor flat (else the liveliest)."""
    best: tuple[float, Fraction] | None = None
    with open_media(path) as container:
        stream = container.streams.video[0]
        time_base = Fraction(stream.time_base)
        for t in candidates:
            container.seek(int(t / time_base), stream=stream, backward=True)
            frame = None
            try:
                for decoded in container.decode(stream):
                    if decoded.pts is not None and decoded.pts * time_base >= t:
                        frame = decoded
                        break
            except av.error.FFmpegError:
                continue
            if frame is None:
                continue
            mean, spread = _luma_stats(frame)
            if 30 < mean < 230 and spread > 12:
                return t
            if best is None or spread > best[0]:
                best = (spread, t)
    return best[1] if best else Fraction(0)


def make_poster(
    video: Path, output: Path, duration: Fraction, *, prefer: Fraction | None = None
) -> Path:
    """Write a JPEG poster from a representative (not black) frame of `video`."""
    candidates = [c for c in [prefer] if c is not None]
    candidates += [duration * Fraction(k, 10) for k in (1, 3, 5, 2, 7)]
    candidates = [c for c in candidates if 0 <= c < duration] or [Fraction(0)]
    at = pick_poster_time(video, candidates)
    with atomic_path(output) as tmp:
        run_ffmpeg(
            [
                "-ss",
                f"{float(at):.3f}",
                "-i",
                media_url(video),
                "-frames:v",
                "1",
                "-q:v",
                "3",
                "-update",
                "1",
                "-y",
                media_url(tmp),
            ],
            what=_("making the poster of {name}").format(name=video.name),
        )
    return output
