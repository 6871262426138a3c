"""The keyframe index a smart cut needs: video packets in decode order, IDRs marked.

Only demuxes (no decoding). A packet counts as an IDR when its data holds an H.264 NAL
unit of type 5; the container's keyframe flag alone is not enough (recovery-point
I-frames are flagged too, and a GOP may only be copied from an IDR). Times are recording
times (seconds from the container's start), as everywhere in clipper.

Each packet is also looked at for damage a demuxer can see without decoding (the damage
check of a cut uses it, media/damage_spans.py): its NAL units must fill it exactly, and
no NAL unit may hold 00 00 00, 00 00 01 or 00 00 02 (H.264 forbids them inside a NAL
unit, an encoder escapes them with the emulation-prevention byte 3: a zeroed block of
the file shows up here). A packet before which the demuxer reported lost data counts
as not intact too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.logging

from clipper.errors import MediaError
from clipper.i18n import _
from clipper.media.probe import FrameWindow, _main_video, _short, open_media

NAL_IDR = 5
NAL_SPS = 7
NAL_PPS = 8
# never inside a NAL unit: the encoder escapes them with the emulation-prevention byte 3
_FORBIDDEN = re.compile(rb"\x00\x00[\x00-\x02]")


@dataclass(frozen=True)
class PacketRef:
    """One video packet: presentation and decode time, and whether it starts a closed GOP."""

    pts: Fraction
    dts: Fraction
    key: bool
    idr: bool
    intact: bool = True  # False: its data is visibly broken (see the module's doc)


@dataclass(frozen=True)
class AvcConfig:
    """What an `avcC` box (MP4 H.264 extradata) says: profile, level, parameter sets."""

    profile_idc: int
    level_idc: int
    nal_length_size: int
    sps: list[bytes]
    pps: list[bytes]


@dataclass(frozen=True)
class VideoParams:
    """The stream properties re-encoded parts must match to be joined with copied GOPs."""

    codec: str
    width: int
    height: int
    pix_fmt: str | None
    sample_aspect_ratio: Fraction | None
    color_primaries: int
    color_trc: int
    colorspace: int
    color_range: int
    time_base: Fraction
    fps: Fraction | None
    avc: AvcConfig | None


@dataclass(frozen=True)
class PacketIndex:
    """Video packets of a window of the source, in decode order."""

    packets: list[PacketRef]
    stream_end: Fraction | None  # set when the window reaches the end of the stream
    params: VideoParams
    notes: list[str] = field(default_factory=list)

    @property
    def idr_times(self) -> list[Fraction]:
        return sorted(p.pts for p in self.packets if p.idr)


def parse_avcc(data: bytes) -> AvcConfig | None:
    """Parse an AVCDecoderConfigurationRecord; None when it is not one (e.g. Annex B)."""
    if len(data) < 7 or data[0] != 1:
        return None
    profile, level = data[1], data[3]
    nal_length_size = (data[4] & 3) + 1
    pos = 5
    sets: list[list[bytes]] = [[], []]
    try:
        for which in range(2):
            count = data[pos] & (0x1F if which == 0 else 0xFF)
            pos += 1
            for _count in range(count):
                size = int.from_bytes(data[pos : pos + 2], "big")
                pos += 2
                sets[which].append(bytes(data[pos : pos + size]))
                pos += size
    except IndexError:
        return None
    return AvcConfig(profile, level, nal_length_size, sets[0], sets[1])


def nal_types(data: bytes, length_size: int = 4) -> list[int]:
    """The NAL unit types in one length-prefixed (MP4-style) H.264 sample."""
    types = []
    pos = 0
    while pos + length_size < len(data):
        size = int.from_bytes(data[pos : pos + length_size], "big")
        pos += length_size
        if size <= 0:
            break
        types.append(data[pos] & 0x1F)
        pos += size
    return types


def nal_units_intact(data: bytes, length_size: int = 4) -> bool:
    """Do the length-prefixed NAL units fill the sample exactly, each without a forbidden
    zero run (00 00 00, 00 00 01, 00 00 02) and not ending in a zero byte (its last byte
    holds the stop bit)? Cheap: one C-speed search per NAL unit, no decoding."""
    pos, end = 0, len(data)
    if end == 0:
        return False
    while pos < end:
        if pos + length_size >= end:
            return False
        size = int.from_bytes(data[pos : pos + length_size], "big")
        start, stop = pos + length_size, pos + length_size + size
        if size <= 0 or stop > end or data[stop - 1] == 0:
            return False
        if _FORBIDDEN.search(data, start, stop) is not None:
            return False
        pos = stop
    return True


def video_params(stream: Any) -> VideoParams:
    ctx = stream.codec_context
    rate = stream.average_rate or stream.guessed_rate
    sar = ctx.sample_aspect_ratio
    extradata = bytes(ctx.extradata or b"")
    return VideoParams(
        codec=ctx.name,
        width=ctx.width,
        height=ctx.height,
        pix_fmt=ctx.pix_fmt,
        sample_aspect_ratio=Fraction(sar) if sar else None,
        color_primaries=int(ctx.color_primaries or 2),
        color_trc=int(ctx.color_trc or 2),
        colorspace=int(ctx.colorspace or 2),
        color_range=int(ctx.color_range or 0),
        time_base=Fraction(stream.time_base),
        fps=Fraction(rate) if rate else None,
        avc=parse_avcc(extradata) if ctx.name == "h264" else None,
    )


def scan_packets(
    path: Path, start: Fraction, end: Fraction, margin: Fraction = Fraction(1)
) -> PacketIndex:
    """Video packets from the keyframe before `start - margin` to the first IDR after `end`.

    The scan goes on past `end + margin` until an IDR (or the stream's end, or a minute
    more) so that a keyframe-snapped cut can snap its end forward. Cost grows with the
    window and the GOP length, not with the recording.
    """
    return scan_windows(path, [(start, end)], margin)[0]


def scan_windows(
    path: Path, windows: list[tuple[Fraction, Fraction]], margin: Fraction = Fraction(1)
) -> list[PacketIndex]:
    """scan_packets of each (start, end), opening the file once (reading the index of a
    long MP4 costs more than a window's packets: 0.1 s for three hours)."""
    groups: list[list[tuple[Fraction, Fraction]]] = []
    for start, end in windows:
        if not groups or start - margin <= 0:  # from the file's start: a fresh demuxer
            groups.append([])
        groups[-1].append((start - margin, end + margin))
    found: list[PacketIndex] = []
    level = av.logging.get_level()
    av.logging.set_level(av.logging.ERROR)
    try:
        with av.logging.Capture(False) as logs:
            for group in groups:
                with open_media(path) as container:
                    for lo, hi in group:
                        try:
                            found.append(_window(path, container, lo, hi, logs))
                        except av.error.FFmpegError as exc:
                            raise MediaError(
                                _(
                                    "the video data is damaged around {float:.1f} s ({short})"
                                ).format(float=float(lo + margin), short=_short(exc)),
                                path=path,
                            ) from exc
    finally:
        av.logging.set_level(level)
    return found


def _window(path: Path, container: Any, lo: Fraction, hi: Fraction, logs: list[Any]) -> PacketIndex:
    stream = _main_video(list(container.streams.video))
    if stream is None:
        raise MediaError(_("has no video stream to cut"), path=path)
    params = video_params(stream)
    packets, last_duration, reached_end = _scan(container, stream, params, lo, hi, logs)
    stream_end = None
    if reached_end and packets:
        last = max(p.pts for p in packets)
        if not last_duration and len(packets) > 1:
            times = sorted(p.pts for p in packets)
            last_duration = times[-1] - times[-2]
        stream_end = last + last_duration
    return PacketIndex(packets=packets, stream_end=stream_end, params=params)


def _scan(
    container: Any, stream: Any, params: VideoParams, lo: Fraction, hi: Fraction, logs: list[Any]
) -> tuple[list[PacketRef], Fraction, bool]:
    """The packets of scan_packets' window, the last one's duration, and whether the
    stream ended inside the window."""
    h264 = params.codec == "h264"
    checkable = h264 and params.avc is not None  # length-prefixed NAL units (MP4, MKV)
    length_size = params.avc.nal_length_size if params.avc else 4
    time_base = params.time_base
    origin = Fraction(container.start_time or 0, 1_000_000)
    if lo > 0:
        target = int((lo + origin) / time_base)
        container.seek(target, stream=stream, backward=True, any_frame=False)
    demuxer = container.format.name
    packets: list[PacketRef] = []
    last_duration = Fraction(0)
    seen = len(logs)
    for packet in container.demux(stream):
        if packet.pts is None:
            continue
        t = packet.pts * time_base - origin
        dts = (packet.dts if packet.dts is not None else packet.pts) * time_base - origin
        data = bytes(packet) if h264 else b""
        idr = bool(packet.is_keyframe) and (not h264 or NAL_IDR in nal_types(data, length_size))
        lost = any(entry[1] == demuxer for entry in logs[seen:])
        seen = len(logs)
        intact = not lost and (not checkable or nal_units_intact(data, length_size))
        if packet.duration:
            last_duration = packet.duration * time_base
        packets.append(PacketRef(t, dts, bool(packet.is_keyframe), idr, intact))
        if dts > hi and (idr or dts > hi + 60):
            # keep this IDR: it is where a copied GOP ending at or after `end` stops
            return packets, last_duration, False
    return packets, last_duration, True


def frame_window(index: PacketIndex) -> FrameWindow:
    """The frame times of a packet scan, in display order."""
    return FrameWindow(sorted(p.pts for p in index.packets), index.stream_end)
