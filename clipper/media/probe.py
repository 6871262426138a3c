"""Probing media with PyAV: what is in a file, and the frame timestamps a cut needs.

Everything here only demuxes (reads packets); nothing is decoded, so probing a long
recording costs a read of its packets, not a decode. Times are exact Fractions of seconds.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from clipper.errors import MediaError
from clipper.i18n import _
from clipper.media.ffmpeg import media_url
from clipper.media.integrity import check_media_file, mp4_boxes
from clipper.timecode import fraction_to_ms

WEB_VIDEO_CODECS = {"h264"}
WEB_AUDIO_CODECS = {"aac"}


@dataclass(frozen=True)
class StreamInfo:
    index: int
    kind: str  # "video", "audio", "subtitle", "data"
    codec: str
    profile: str | None = None
    width: int | None = None
    height: int | None = None
    pix_fmt: str | None = None
    fps: Fraction | None = None
    constant_frame_rate: bool | None = None
    sample_rate: int | None = None
    channels: int | None = None
    time_base: Fraction | None = None


@dataclass(frozen=True)
class KeyframeStats:
    count: int
    min_interval: Fraction
    median_interval: Fraction
    max_interval: Fraction


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    container: str
    duration: Fraction  # seconds
    start_time: Fraction  # the container's start time; ffmpeg's `-ss` counts from here
    streams: list[StreamInfo]
    keyframes: KeyframeStats | None
    index_first: bool | None  # MP4 only: moov before mdat ("faststart")
    size_bytes: int
    notes: list[str] = field(default_factory=list)

    @property
    def video(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "video"), None)

    @property
    def audio(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "audio"), None)

    def require_video(self) -> StreamInfo:
        """The video stream; an audio-only file cannot become a clip or a video page."""
        if self.video is None:
            raise MediaError(
                _("has no video track (audio only); clipper cuts and publishes video recordings"),
                path=self.path,
                hint=_("export the recording with its video from the conference tool"),
            )
        return self.video

    @property
    def duration_ms(self) -> int:
        """Rounded half up, as `clipper probe` shows it (so an end typed as shown fits)."""
        return fraction_to_ms(self.duration)

    @property
    def is_mp4(self) -> bool:
        return self.container.startswith("mov,mp4") or self.path.suffix.lower() in {".mp4", ".m4v"}

    @property
    def web_codecs(self) -> bool:
        """H.264 video and AAC (or no) audio: a remux makes it web-ready, no re-encode."""
        video, audio = self.video, self.audio
        return (
            video is not None
            and video.codec in WEB_VIDEO_CODECS
            and video.pix_fmt in (None, "yuv420p", "yuvj420p")
            and (audio is None or audio.codec in WEB_AUDIO_CODECS)
        )

    @property
    def web_ready(self) -> bool:
        """Plays in every browser as it is: H.264/AAC MP4 with the index first."""
        return self.is_mp4 and self.web_codecs and bool(self.index_first)


@contextmanager
def open_media(path: Path) -> Iterator[Any]:
    """Open a file with PyAV, turning every way it can fail into one clear MediaError."""
    check_media_file(path)
    try:
        container = av.open(media_url(path), mode="r")
    except PermissionError as exc:
        raise MediaError(_("cannot read the file: permission denied"), path=path) from exc
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise MediaError(
            _("not a readable media file ({short})").format(short=_short(exc)),
            path=path,
            hint=_("is it a complete video file? a broken or partial download cannot be read"),
        ) from exc
    try:
        yield container
    finally:
        container.close()


def _short(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc).strip() or type(exc).__name__
    return text.split("\n")[0][:160]


def probe(path: Path, *, scan_keyframes: bool = True) -> MediaInfo:
    """Describe a media file: container, duration, streams, keyframe spacing, web-readiness."""
    path = Path(path)
    notes: list[str] = []
    with open_media(path) as container:
        streams: list[StreamInfo] = []
        for stream in container.streams:
            streams.append(_stream_info(stream))
        video_streams = [s for s in container.streams if s.type == "video"]
        main_video = _main_video(video_streams)
        keyframes = None
        packet_times: list[Fraction] = []
        # Live-written files (a browser's MediaRecorder, `-live 1`) state no duration: only
        # reading their packets tells how long they are.
        if main_video is not None and (scan_keyframes or not container.duration):
            keyframes, packet_times = _scan_video(container, main_video, path)
            if packet_times:
                cfr = _is_constant(packet_times, Fraction(main_video.time_base))
                idx = next(i for i, s in enumerate(streams) if s.index == main_video.index)
                fps = streams[idx].fps
                if not cfr:
                    span = packet_times[-1] - packet_times[0]
                    if span > 0:
                        fps = Fraction(len(packet_times) - 1) / span
                        fps = fps.limit_denominator(1001)
                streams[idx] = _replace(streams[idx], constant_frame_rate=cfr, fps=fps)
        if not streams or all(s.kind not in ("video", "audio") for s in streams):
            raise MediaError(_("contains no video or audio stream"), path=path)
        duration = _duration(container, packet_times, main_video)
        start_time = Fraction(container.start_time or 0, 1_000_000)
        container_name = container.format.name
    index_first = _mp4_index_first(path) if "mp4" in container_name else None
    if main_video is None:
        notes.append(_("no video track (audio only): clipper cannot cut or publish it"))
    elif not any(s.kind == "audio" for s in streams):
        notes.append(_("no audio track (video only): clips and the web copy are silent"))
    return MediaInfo(
        path=path,
        container=container_name,
        duration=duration,
        start_time=start_time,
        streams=streams,
        keyframes=keyframes,
        index_first=index_first,
        size_bytes=path.stat().st_size,
        notes=notes,
    )


def _replace(info: StreamInfo, **changes: Any) -> StreamInfo:
    from dataclasses import replace

    return replace(info, **changes)


def _main_video(video_streams: list[Any]) -> Any | None:
    """The first real video stream (cover art is a one-picture 'video' stream in MP4)."""
    for stream in video_streams:
        if stream.disposition & av.stream.Disposition.attached_pic:
            continue
        return stream
    return None


def _stream_info(stream: Any) -> StreamInfo:
    ctx = stream.codec_context
    time_base = Fraction(stream.time_base) if stream.time_base else None
    codec = ctx.name if ctx is not None else "unknown"
    profile = getattr(ctx, "profile", None) or None
    if stream.type == "video":
        rate = stream.average_rate or stream.guessed_rate
        return StreamInfo(
            index=stream.index,
            kind="video",
            codec=codec,
            profile=profile,
            width=ctx.width,
            height=ctx.height,
            pix_fmt=ctx.pix_fmt,
            fps=Fraction(rate) if rate else None,
            time_base=time_base,
        )
    if stream.type == "audio":
        return StreamInfo(
            index=stream.index,
            kind="audio",
            codec=codec,
            profile=profile,
            sample_rate=ctx.sample_rate,
            channels=ctx.layout.nb_channels if ctx.layout else None,
            time_base=time_base,
        )
    return StreamInfo(index=stream.index, kind=stream.type or "data", codec=codec)


def _scan_video(
    container: Any, stream: Any, path: Path
) -> tuple[KeyframeStats | None, list[Fraction]]:
    """Read every video packet once: presentation times (sorted) and keyframe spacing."""
    time_base = Fraction(stream.time_base)
    times: list[Fraction] = []
    key_times: list[Fraction] = []
    try:
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            t = packet.pts * time_base
            times.append(t)
            if packet.is_keyframe:
                key_times.append(t)
    except av.error.FFmpegError as exc:
        raise MediaError(
            _("the video data is damaged or incomplete ({short})").format(short=_short(exc)),
            path=path,
            hint=_("the file may be truncated; copy the recording again"),
        ) from exc
    times.sort()
    key_times.sort()
    if len(key_times) < 2:
        stats = None
        if key_times:
            span = (times[-1] - key_times[0]) if times else Fraction(0)
            stats = KeyframeStats(1, span, span, span)
        return stats, times
    gaps = [b - a for a, b in itertools.pairwise(key_times)]
    return (
        KeyframeStats(
            count=len(key_times),
            min_interval=min(gaps),
            median_interval=statistics.median_low(gaps),
            max_interval=max(gaps),
        ),
        times,
    )


def _is_constant(times: list[Fraction], tick: Fraction) -> bool:
    """Constant frame rate when all frame gaps agree within one time-base tick plus 1%.

    Containers with coarse time bases (WebM: 1 ms) store 24 fps as gaps of 41 and 42 ms.
    """
    if len(times) < 3:
        return True
    gaps = [b - a for a, b in itertools.pairwise(times)]
    typical = statistics.median_low(gaps)
    if typical <= 0:
        return False
    tolerance = typical / 100 + tick
    return all(abs(gap - typical) <= tolerance for gap in gaps)


def _duration(container: Any, times: list[Fraction], video: Any | None) -> Fraction:
    if container.duration:
        return Fraction(container.duration, 1_000_000)
    if times and video is not None:
        step = times[-1] - times[-2] if len(times) > 1 else Fraction(0)
        return times[-1] + step - times[0]
    return Fraction(0)


def _mp4_index_first(path: Path) -> bool | None:
    """Whether the MP4 `moov` box comes before `mdat` (a browser can start playing at once)."""
    try:
        with path.open("rb") as f:
            for kind, _start, _end in mp4_boxes(f, path.stat().st_size):
                if kind in (b"moov", b"mdat"):
                    return kind == b"moov"
    except OSError:
        return None
    return None


@dataclass(frozen=True)
class FrameWindow:
    """Presentation times of the video frames in a window of the source, sorted.

    Times are recording times: seconds from the container's start, which is what players
    show, what transcripts are timed against and what ffmpeg's `-ss` counts from.
    `stream_end` is set when the window reaches the end of the stream: the time at which
    the last frame stops being shown.
    """

    times: list[Fraction]
    stream_end: Fraction | None
