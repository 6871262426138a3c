"""Web-friendly bitrates: what clipper re-encodes costs about what the recording costs.

A published clip or web copy should not be several times bigger per second than the
recording it comes from (citizens watch on phones, often on mobile data). So x264 runs in
"capped CRF": `crf` is the quality it aims at, `maxrate`/`bufsize` hold the video to the
source's video bits per second (`bitrate_percent` of it), and `qmax` is the quality floor:
where the cap would make the picture worse than that, the picture wins and the file grows.
Sound takes the source's audio bitrate, kept between a floor and a ceiling. `[encoding]`
in clipper.toml changes these numbers (see README).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from clipper.media.probe import open_media

AUDIO_SAMPLE_SECONDS = 60
"""Without a bitrate in the container, the sound's rate is measured over this much audio."""


@dataclass(frozen=True)
class RateRule:
    """How re-encoded video and sound aim at the source's bitrate."""

    bitrate_percent: int = 100  # video at most this share of the source's video bitrate
    max_qp: int = 32  # quality floor: x264 never quantises coarser than this
    audio_kbps_max: int = 128
    audio_kbps_min: int = 32


@dataclass(frozen=True)
class SourceRate:
    """Bits per second of a recording: the whole file, and its sound (None: no sound)."""

    total_bps: int
    audio_bps: int | None

    @property
    def video_bps(self) -> int:
        return max(0, self.total_bps - (self.audio_bps or 0))


def measure_source(path: Path) -> SourceRate:
    """The file's size per second, and its audio bitrate (from the container, else from the
    sizes of the first minute of audio packets: demuxing only, no decoding)."""
    size = Path(path).stat().st_size
    with open_media(path) as container:
        duration = Fraction(container.duration or 0, 1_000_000)
        audio = next(iter(container.streams.audio), None)
        audio_bps: int | None = None
        if audio is not None:
            audio_bps = int(audio.bit_rate or 0) or _measured_audio_bps(container, audio)
    total = int(size * 8 / duration) if duration > 0 else 0
    return SourceRate(total, audio_bps)


def _measured_audio_bps(container: Any, stream: Any) -> int:
    tb = Fraction(stream.time_base)
    total = 0
    first: Fraction | None = None
    last = Fraction(0)
    for packet in container.demux(stream):
        if packet.pts is None:
            continue
        t = packet.pts * tb
        first = t if first is None else first
        if t - first > AUDIO_SAMPLE_SECONDS:
            break
        total += packet.size
        last = t + (packet.duration or 0) * tb
    span = last - (first or 0)
    return int(total * 8 / span) if span > 0 else 0


def audio_bitrate(rule: RateRule, rate: SourceRate) -> str:
    """The AAC bitrate for the clip's sound, as ffmpeg reads it (e.g. "48k")."""
    kbps = round((rate.audio_bps or 0) / 1000)
    return f"{min(rule.audio_kbps_max, max(rule.audio_kbps_min, kbps))}k"


def video_rate_options(rule: RateRule, rate: SourceRate) -> dict[str, Any]:
    """x264 options holding the video to the source's bitrate above the quality floor.

    The buffer holds one second at the cap, so no stretch of a second or more runs above
    it (a short clip may carry at most one second's worth more).
    """
    if rate.video_bps <= 0:
        return {}
    kbps = max(1, rate.video_bps * rule.bitrate_percent // 100_000)
    return {"maxrate": f"{kbps}k", "bufsize": f"{kbps}k", "qmax": rule.max_qp}
