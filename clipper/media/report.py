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


def _fps_plain(value: Fraction | None) -> str:
    """25, or 29,97 (German decimal comma): no fractions for staff."""
    if value is None:
        return "?"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    # TRANSLATORS: the decimal separator of a number of seconds ("1.5 s"; German "1,5 s").
    return text.replace(".", _("."))


def _seconds(value: Fraction) -> float:
    return round(float(value), 3)


def web_ready_reason(info: MediaInfo) -> str:
    """Why a recording plays on the web as it is or not, in engineering terms (JSON, --details)."""
    if info.web_ready:
        return _("yes (H.264/AAC MP4, index first)")
    if info.video is None:
        return _("no: audio only (no video track)")
    reasons = []
    if not info.is_mp4:
        reasons.append(_("not MP4"))
    if not info.web_codecs:
        reasons.append(_("codecs are not H.264/AAC (needs a transcode)"))
    elif info.is_mp4 and not info.index_first:
        reasons.append(_("index at the end (needs a remux, no re-encode)"))
    return _("no: {reasons}").format(reasons="; ".join(reasons))


def _web_ready_plain(info: MediaInfo) -> str:
    if info.web_ready:
        return _("yes, it plays in every browser as it is")
    if info.video is None:
        return _("no: it has no picture")
    if info.web_codecs and info.is_mp4:
        return _("almost: publishing rearranges it, quickly and without loss")
    return _("no: publishing makes a web copy of it (takes a while)")


def _stream_line(s: StreamInfo) -> str:
    if s.kind == "video":
        rate = _("constant") if s.constant_frame_rate else _("variable")
        if s.constant_frame_rate is None:
            rate = _("unknown")
        profile = f" {s.profile}" if s.profile else ""
        return _(
            "#{index} video {codec}{profile}, {width}x{height} "
            "{pix_fmt}, {fps} fps ({rate} frame rate)"
        ).format(
            index=s.index,
            codec=s.codec,
            profile=profile,
            width=s.width,
            height=s.height,
            pix_fmt=s.pix_fmt,
            fps=_fps(s.fps),
            rate=rate,
        )
    if s.kind == "audio":
        return _("#{index} audio {codec}, {sample_rate} Hz, {channels} channel(s)").format(
            index=s.index, codec=s.codec, sample_rate=s.sample_rate, channels=s.channels
        )
    return f"#{s.index} {s.kind} {s.codec}"


def _plain_report(info: MediaInfo) -> list[str]:
    """What staff need to know: how long, picture and sound, whether it is ready for the web."""
    lines = [
        _("File:        {path}").format(path=info.path),
        _("Size:        {size:.1f} MB").format(size=info.size_bytes / 1_000_000),
        _("Length:      {length}").format(length=format_time(fraction_to_ms(info.duration))),
    ]
    video = info.video
    if video is not None:
        lines.append(
            _("Picture:     {width} x {height} pixels, {fps} pictures per second").format(
                width=video.width, height=video.height, fps=_fps_plain(video.fps)
            )
        )
    else:
        lines.append(_("Picture:     none"))
    has_sound = any(s.kind == "audio" for s in info.streams)
    lines.append(_("Sound:       yes") if has_sound else _("Sound:       none"))
    lines.append(_("For the web: {ready}").format(ready=_web_ready_plain(info)))
    lines += [_("Note:        {note}").format(note=note) for note in info.notes]
    return lines


def probe_report(info: MediaInfo, *, details: bool = False) -> list[str]:
    """`clipper probe`: plain by default; `details` adds streams, codecs and keyframes."""
    if not details:
        return _plain_report(info)
    lines = [
        _("File:       {path}").format(path=info.path),
        _("Container:  {container} ({size:.1f} MB)").format(
            container=info.container, size=info.size_bytes / 1_000_000
        ),
        _("Duration:   {duration}").format(duration=format_time(fraction_to_ms(info.duration))),
        _("Streams:"),
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
    lines += [_("Note:       {note}").format(note=note) for note in info.notes]
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
