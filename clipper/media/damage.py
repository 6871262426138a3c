"""Is the video of a recording decodable all the way? Damage found by decoding it.

A flipped bit or a zeroed block in the middle of a recording leaves its container intact,
so probing (which only reads packets) does not notice, and ffmpeg cuts or copies the
broken part without a word. Decoding does notice: the decoder raises for data it cannot
read and logs what it had to conceal ("corrupted macroblock"), and the demuxer logs data
it had to skip. Both are caught here per packet, so the time of the damage is exact. A
timestamp going backwards or a long gap in the video packets counts too.

Limits (measured): VP8 has no checksum and its decoder turns a flipped bit inside a
frame into wrong pixels without any error, in ffmpeg and in libvpx alike; only the
archive's SHA-256 (`clipper verify`, and publish's check of the original) finds that.

Decoding costs time (a 3-hour recording: minutes), so the whole file is decoded once
(`probe`, `ingest`, `publish`: media/verdicts.py remembers it, `publish` and `ingest` keep
it per SHA-256 in the project's media cache too), and a cut of a file not decoded before
decodes only what it re-encodes and each copied GOP's IDR (media/damage_spans.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.logging

from clipper.errors import MediaError
from clipper.i18n import N_, _
from clipper.media.ffmpeg import ProgressCallback
from clipper.media.probe import _main_video, open_media
from clipper.timecode import format_time, fraction_to_ms

ALLOW_HINT = N_("copy it again from its source; to use it as it is, add --allow-damaged")
_MERGE = Fraction(1)  # damage within a second of the last is the same place
# A gap in the video packets of this many frame durations (and at least this long) is a
# jump. Where frames have come irregularly (variable frame rate: a screen share of a still
# slide sends a frame every few seconds), only a far longer gap counts.
_GAP_FRAMES = 25
_GAP_MIN = Fraction(1)
_GAP_FRAMES_VFR = 250
_GAP_MIN_VFR = Fraction(10)
UNDECODABLE = N_("video cannot be decoded there")
SKIPPED = N_("the file's data is unreadable there and was skipped")
BACKWARDS = N_("the timestamps jump backwards there")


@dataclass(frozen=True)
class Damage:
    """One damaged place: its recording time (seconds from the start) and what is wrong."""

    at: Fraction
    what: str

    @property
    def at_ms(self) -> int:
        return fraction_to_ms(self.at)

    def to_json(self) -> dict[str, Any]:
        return {"at_ms": self.at_ms, "what": self.what}


@dataclass(frozen=True)
class DamageReport:
    """What decoding a recording (or spans of it) found."""

    path: Path
    damages: list[Damage]
    frames: int  # video frames that decoded

    @property
    def damaged(self) -> bool:
        return bool(self.damages)

    def summary(self) -> str:
        """ "damaged at 0:12.480 (video cannot be decoded there) and at 2 more places"."""
        first = self.damages[0]
        more = len(self.damages) - 1
        text = _("damaged at {at} ({what})").format(at=clock(first.at_ms), what=_(first.what))
        if more == 1:
            text += _(" and at {at}").format(at=clock(self.damages[1].at_ms))
        elif more > 1:
            text += _(" and at {more} more places (the last at {at})").format(
                more=more, at=clock(self.damages[-1].at_ms)
            )
        return text

    def error(self) -> MediaError:
        return MediaError(self.summary(), path=self.path, hint=_(ALLOW_HINT))

    def to_json(self) -> dict[str, Any]:
        return {"frames": self.frames, "damages": [d.to_json() for d in self.damages]}

    @classmethod
    def from_json(cls, path: Path, data: dict[str, Any]) -> DamageReport:
        damages = [Damage(Fraction(int(d["at_ms"]), 1000), str(d["what"])) for d in data["damages"]]
        return cls(path=path, damages=damages, frames=int(data["frames"]))


def clock(ms: int) -> str:
    """0:12.480, 1:02:03.000: the short form users read in players."""
    text = format_time(ms, always_hours=False)
    return text[1:] if text.startswith("0") and len(text) > 8 else text


def no_frame_error(path: Path) -> MediaError:
    return MediaError(
        _("no video frame can be decoded: the video data is damaged or missing"),
        path=path,
        hint=_("copy the recording again from its source, or export it again"),
    )


def check_decodable(report: DamageReport, *, allow_damaged: bool) -> DamageReport:
    """Refuse a recording without a decodable frame always; a damaged one unless allowed."""
    if report.frames == 0:
        raise no_frame_error(report.path)
    if report.damaged and not allow_damaged:
        raise report.error()
    return report


def scan_damage(
    path: Path,
    spans: list[tuple[Fraction, Fraction]] | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> DamageReport:
    """Decode the video of `path` (all of it, or only `spans` of recording time) and report
    every place where it is damaged."""
    path = Path(path)
    damages: list[Damage] = []
    frames = 0
    with open_media(path) as container, _ffmpeg_errors() as logs:
        video = _main_video([s for s in container.streams if s.type == "video"])
        if video is None:
            raise MediaError(
                _("has no video track (audio only); clipper cuts and publishes video recordings"),
                path=path,
                hint=_("export the recording with its video from the conference tool"),
            )
        origin = Fraction(container.start_time or 0, 1_000_000)
        tick = Fraction(video.time_base)
        rate = video.average_rate or video.guessed_rate
        step = 1 / Fraction(rate) if rate else Fraction(1, 25)
        gap_limits = (max(step * _GAP_FRAMES, _GAP_MIN), max(step * _GAP_FRAMES_VFR, _GAP_MIN_VFR))
        irregular = False  # frames came at uneven intervals: a variable frame rate
        shortest: Fraction | None = None
        demuxer = container.format.name
        done_ms = 0
        for start, end in spans or [(Fraction(-1), Fraction(10**9))]:
            if spans:
                container.seek(int((start + origin) / tick), stream=video, backward=True)
            video.codec_context.flush_buffers()
            settled: Fraction | None = None if spans else Fraction(-(10**9))
            trusted = not spans
            last_dts: Fraction | None = None
            seen = len(logs)
            for packet in container.demux(video):
                if packet.size == 0 or packet.pts is None:
                    continue
                at = packet.pts * tick - origin
                dts = (packet.dts if packet.dts is not None else packet.pts) * tick - origin
                if settled is None:  # after a seek: leading frames may miss their references
                    if not packet.is_keyframe:
                        continue
                    settled = at
                    seen = len(logs)
                skipped = any(entry[1] == demuxer for entry in logs[seen:])
                if skipped:  # the demuxer lost data before this packet: say where it starts
                    damages.append(Damage(last_dts + step if last_dts is not None else at, SKIPPED))
                if last_dts is not None and dts < last_dts:
                    damages.append(Damage(at, BACKWARDS))
                elif last_dts is not None and not skipped:
                    interval = dts - last_dts
                    if interval > gap_limits[irregular]:
                        jump = clock(fraction_to_ms(interval))
                        damages.append(
                            Damage(
                                last_dts, _("the video stops for {jump} there").format(jump=jump)
                            )
                        )
                    elif interval > 0:
                        shortest = interval if shortest is None else min(shortest, interval)
                        irregular = irregular or interval > 2 * shortest
                last_dts = dts
                seen = len(logs)
                try:
                    decoded = video.codec_context.decode(packet)
                except av.error.FFmpegError:
                    if trusted:
                        damages.append(Damage(at, UNDECODABLE))
                else:
                    frames += len(decoded)
                    if trusted and any(entry[1] != demuxer for entry in logs[seen:]):
                        damages.append(Damage(at, UNDECODABLE))
                    # after a seek, the frames before the keyframe (an open GOP's leading
                    # B-frames) miss their references: errors count once it is shown
                    trusted = trusted or any(
                        f.pts is not None and f.pts * tick - origin >= settled for f in decoded
                    )
                seen = len(logs)
                if progress is not None and fraction_to_ms(at) > done_ms:
                    done_ms = fraction_to_ms(at)
                    progress(done_ms)
                if dts > end:
                    break
            with suppress(av.error.FFmpegError):
                frames += len(video.codec_context.decode(None))
    return DamageReport(path=path, damages=_merged(damages), frames=frames)


def _merged(damages: list[Damage]) -> list[Damage]:
    """One entry per damaged place, in time order."""
    merged: list[Damage] = []
    for damage in sorted(damages, key=lambda d: d.at):
        if merged and damage.at - merged[-1].at <= _MERGE:
            continue
        merged.append(damage)
    return merged


@contextmanager
def _ffmpeg_errors() -> Iterator[list[Any]]:
    """ffmpeg's error messages while decoding (concealed damage is only logged, not raised)."""
    level = av.logging.get_level()
    av.logging.set_level(av.logging.ERROR)
    try:
        with av.logging.Capture(False) as logs:
            yield logs
    finally:
        av.logging.set_level(level)


def require_decodable_frame(path: Path) -> None:
    """Refuse a recording of which not one video frame decodes (cheap: stops at the first
    frame that does, so a healthy recording costs one decoded frame)."""
    with open_media(path) as container, _ffmpeg_errors():
        video = _main_video([s for s in container.streams if s.type == "video"])
        if video is None:
            return
        for packet in container.demux(video):
            try:
                if video.codec_context.decode(packet):
                    return
            except av.error.FFmpegError:
                continue
        with suppress(av.error.FFmpegError):
            if video.codec_context.decode(None):
                return
    raise no_frame_error(path)
