"""Human and JSON descriptions of a probed recording (what `clipper probe` prints)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from clipper.i18n import _
from clipper.media.probe import MediaInfo, StreamInfo
from clipper.timecode import format_time, fraction_to_ms


def _fps(value: Fraction | None) -> str:
    if value is None:
        return "?"
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator} (~{float(value):.3f})"


def _seconds(value: Fraction) -> float:
    return round(float(value), 3)


def web_ready_reason(info: MediaInfo) -> str:
    if info.web_ready:
        return "yes (H.264/AAC MP4, index first)"
    if info.video is None:
        return "no: audio only (no video track)"
    reasons = []
    if not info.is_mp4:
        reasons.append("not MP4")
    if not info.web_codecs:
        reasons.append("codecs are not H.264/AAC (needs a transcode)")
    elif info.is_mp4 and not info.index_first:
        reasons.append("index at the end (needs a remux, no re-encode)")
    return "no: " + "; ".join(reasons)


def _stream_line(s: StreamInfo) -> str:
    if s.kind == "video":
        rate = "constant" if s.constant_frame_rate else "variable"
        if s.constant_frame_rate is None:
            rate = "unknown"
        profile = f" {s.profile}" if s.profile else ""
        return (
            f"#{s.index} video {s.codec}{profile}, {s.width}x{s.height} {s.pix_fmt}, "
            f"{_fps(s.fps)} fps ({rate} frame rate)"
        )
    if s.kind == "audio":
        return f"#{s.index} audio {s.codec}, {s.sample_rate} Hz, {s.channels} channel(s)"
    return f"#{s.index} {s.kind} {s.codec}"


def probe_report(info: MediaInfo) -> list[str]:
    lines = [
        f"File:       {info.path}",
        f"Container:  {info.container} ({info.size_bytes / 1_000_000:.1f} MB)",
        f"Duration:   {format_time(fraction_to_ms(info.duration))}",
        "Streams:",
    ]
    lines += [f"  {_stream_line(s)}" for s in info.streams]
    if info.keyframes:
        k = info.keyframes
        lines.append(
            _(
                "Keyframes:  {count}, every {min_interval} / "
                "{median_interval} / {max_interval} s (min/median/max)"
            ).format(
                count=k.count,
                min_interval=_seconds(k.min_interval),
                median_interval=_seconds(k.median_interval),
                max_interval=_seconds(k.max_interval),
            )
        )
    lines.append(
        _("Web-ready:  {web_ready_reason}").format(web_ready_reason=web_ready_reason(info))
    )
    lines += [f"Note:       {note}" for note in info.notes]
    return lines


def probe_to_dict(info: MediaInfo) -> dict[str, Any]:
    streams: list[dict[str, Any]] = []
    for s in info.streams:
        entry: dict[str, Any] = {"index": s.index, "type": s.kind, "codec": s.codec}
        if s.profile:
            entry["profile"] = s.profile
        if s.kind == "video":
            entry.update(
                width=s.width,
                height=s.height,
                pix_fmt=s.pix_fmt,
                fps=f"{s.fps.numerator}/{s.fps.denominator}" if s.fps else None,
                fps_float=round(float(s.fps), 3) if s.fps else None,
                constant_frame_rate=s.constant_frame_rate,
            )
        if s.kind == "audio":
            entry.update(sample_rate=s.sample_rate, channels=s.channels)
        streams.append(entry)
    keyframes = None
    if info.keyframes:
        k = info.keyframes
        keyframes = {
            "count": k.count,
            "min_interval_s": _seconds(k.min_interval),
            "median_interval_s": _seconds(k.median_interval),
            "max_interval_s": _seconds(k.max_interval),
        }
    return {
        "file": str(info.path),
        "container": info.container,
        "size_bytes": info.size_bytes,
        "duration_ms": fraction_to_ms(info.duration),
        "streams": streams,
        "keyframe_interval": keyframes,
        "index_first": info.index_first,
        "web_ready": info.web_ready,
        "web_ready_reason": web_ready_reason(info),
        "notes": info.notes,
    }
