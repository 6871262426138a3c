"""Running a smart or keyframe plan: encode the heads and tails, copy the GOPs, join.

1. One ffmpeg run encodes every `encode` segment, back to back, into one H.264 stream
   whose parameters match the source (profile, level, pixel format, SAR, colour), with an
   IDR forced at each segment's first frame; the same run encodes the audio of the whole
   clip once (AAC, cut at frame boundaries, 5 ms fades at seams).
2. PyAV splices the packets: copied GOPs straight from the source, encoded segments from
   step 1, each IDR carrying its own SPS/PPS in-band, so a decoder always has the
   parameter sets of the part it is in (one `avc1` sample description is not enough:
   players would keep the first part's). Presentation times are whole frames of the clip;
   decode times are renumbered so they rise steadily across seams.
3. ffmpeg remuxes picture and sound into the MP4 with the index first (`+faststart`).
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import ffmpeg

from clipper.cutting.cut_plan import CutPlan, Segment
from clipper.cutting.execute import (
    SEEK_MARGIN,
    EncodeSettings,
    _seconds,
    piece_audio,
    piece_inputs,
)
from clipper.cutting.smart import MATCHABLE_PROFILES
from clipper.errors import MediaError
from clipper.files.atomic import atomic_path
from clipper.i18n import _
from clipper.media.ffmpeg import (
    ProgressCallback,
    ffmpeg_exe,
    graphs_from_files,
    media_url,
    run_ffmpeg,
)
from clipper.media.keyframes import (
    NAL_IDR,
    NAL_SPS,
    AvcConfig,
    VideoParams,
    nal_types,
    parse_avcc,
    video_params,
)
from clipper.media.probe import _main_video

UNSPECIFIED_COLOR = 2


class SmartCutError(MediaError):
    """The copied and re-encoded parts could not be joined exactly (then: re-encode all)."""


def build_parts_args(
    plan: CutPlan, encoded: Path | None, audio: Path | None, settings: EncodeSettings
) -> list[str]:
    """ffmpeg arguments making the encoded segments (`encoded`) and the clip's audio."""
    cut = plan.frame_plan
    step = plan.frame_duration or Fraction(1, 25)
    outputs = []
    segments = [s for s in plan.segments if s.kind == "encode"]
    if encoded is not None and segments:
        params = _source_params(cut.source)
        videos = []
        for seg in segments:
            # Seek straight to the keyframe decoding must start from; trim keeps the frames.
            if seg.decode_from is not None:
                seek = Fraction(math.ceil(seg.decode_from * 1_000_000), 1_000_000)
            else:
                seek = Fraction(max(0, math.floor((seg.start - SEEK_MARGIN) * 1_000_000)), 10**6)
            read_for = seg.end - seek + SEEK_MARGIN
            source = ffmpeg.input(
                media_url(cut.source), ss=_seconds(seek), t=_seconds(read_for), noaccurate_seek=None
            )
            video = source.video.trim(
                start=_seconds(seg.start - step / 2 - seek), end=_seconds(seg.end - step / 2 - seek)
            ).setpts("PTS-STARTPTS")
            if params.sample_aspect_ratio:
                sar = params.sample_aspect_ratio
                video = video.filter("setsar", f"{sar.numerator}/{sar.denominator}")
            videos.append(video)
        joined = ffmpeg.concat(*videos, v=1, a=0) if len(videos) > 1 else videos[0]
        firsts, at = [], 0
        for seg in segments:
            firsts.append(at)
            at += seg.frames
        avc = params.avc
        assert avc is not None
        options: dict[str, Any] = {
            "c:v": "libx264",
            "preset": settings.parts_preset,
            "crf": settings.crf,
            "pix_fmt": "yuv420p",
            "profile:v": MATCHABLE_PROFILES[avc.profile_idc],
            "level": f"{avc.level_idc / 10:.1f}",
            "forced-idr": 1,
            "force_key_frames": "expr:" + "+".join(f"eq(n,{n})" for n in firsts),
            "fps_mode": "passthrough",
            "frames:v": at,
            "f": "mp4",
        }
        if params.pix_fmt == "yuvj420p" or params.color_range == 2:
            options["color_range"] = "pc"
        for key, value in (
            ("color_primaries", params.color_primaries),
            ("color_trc", params.color_trc),
            ("colorspace", params.colorspace),
        ):
            if value != UNSPECIFIED_COLOR:
                options[key] = value
        outputs.append(ffmpeg.output(joined, media_url(encoded), **options))
    if audio is not None and cut.has_audio:
        chains = []
        for piece, (source, seek) in zip(cut.pieces, piece_inputs(cut), strict=True):
            chains.append(piece_audio(source, piece, seek))
        sound = ffmpeg.concat(*chains, v=0, a=1) if len(chains) > 1 else chains[0]
        outputs.append(
            ffmpeg.output(sound, media_url(audio), **{"c:a": "aac", "b:a": settings.audio_bitrate})
        )
    if not outputs:
        return []
    stream = ffmpeg.merge_outputs(*outputs).overwrite_output()
    args: list[str] = ffmpeg.compile(stream, cmd=ffmpeg_exe())[1:]
    return args


def _video_stream(container: Any, path: Path) -> Any:
    stream = _main_video(list(container.streams.video))
    if stream is None:
        raise SmartCutError(_("has no video stream"), path=path)
    return stream


def _source_params(source: Path) -> VideoParams:
    with av.open(media_url(source)) as container:
        return video_params(_video_stream(container, source))


@dataclass
class _Out:
    """A packet on its way into the spliced stream (times in whole clip frames)."""

    data: bytes
    shown: int  # clip frame index it is displayed at
    key: bool


def _with_parameter_sets(data: bytes, avc: AvcConfig) -> bytes:
    """Prefix an IDR sample with its stream's SPS/PPS (length-prefixed), once."""
    types = nal_types(data, avc.nal_length_size)
    if NAL_IDR not in types or NAL_SPS in types:
        return data
    sets = b"".join(len(n).to_bytes(4, "big") + n for n in avc.sps + avc.pps)
    return sets + data


def _copied(source: Path, seg: Segment, avc: AvcConfig, step: Fraction) -> Iterator[_Out]:
    """The source packets of a copied run of GOPs, in decode order."""
    with av.open(media_url(source)) as container:
        stream = _video_stream(container, source)
        tb = Fraction(stream.time_base)
        origin = Fraction(container.start_time or 0, 1_000_000)
        container.seek(int((seg.start + origin) / tb), stream=stream, backward=True)
        taken = 0
        started = False
        first_shown = round(seg.clip_start / step)
        for packet in container.demux(stream):
            if packet.pts is None or packet.size == 0:
                continue
            t = packet.pts * tb - origin
            if not started:
                if t != seg.start:
                    continue
                started = True
            if not seg.start <= t < seg.end:
                raise SmartCutError(
                    _("copied GOPs at {float:.3f} s are not closed").format(float=float(seg.start)),
                    path=source,
                )
            rank = (t - seg.start) / step
            if rank.denominator != 1:
                raise SmartCutError(_("a copied frame is off the frame grid"), path=source)
            data = _with_parameter_sets(bytes(packet), avc)
            yield _Out(data, first_shown + int(rank), bool(packet.is_keyframe))
            taken += 1
            if taken == seg.frames:
                return
    raise SmartCutError(
        _("only {taken} of {frames} frames found to copy at {float:.3f} s").format(
            taken=taken, frames=seg.frames, float=float(seg.start)
        ),
        path=source,
    )


def _encoded(path: Path, segments: list[Segment], step: Fraction) -> list[list[_Out]]:
    """The encoded segments' packets, split per segment (each must start with an IDR)."""
    with av.open(media_url(path)) as container:
        stream = container.streams.video[0]
        avc = parse_avcc(bytes(stream.codec_context.extradata or b""))
        if avc is None:
            raise SmartCutError(_("the encoder wrote no avcC"), path=path)
        packets = [
            (p.pts, bytes(p), bool(p.is_keyframe))
            for p in container.demux(stream)
            if p.pts is not None and p.size > 0
        ]
    if len(packets) != sum(s.frames for s in segments):
        raise SmartCutError(
            _("the encoder made {packets_count} frames, not {sum}").format(
                packets_count=len(packets), sum=sum(s.frames for s in segments)
            ),
            path=path,
        )
    result, at = [], 0
    for seg in segments:
        run = packets[at : at + seg.frames]
        at += seg.frames
        if NAL_IDR not in nal_types(run[0][1], avc.nal_length_size):
            raise SmartCutError(_("an encoded part does not start with an IDR frame"), path=path)
        order = sorted(range(len(run)), key=lambda i: run[i][0])
        shown = {i: rank for rank, i in enumerate(order)}
        first = round(seg.clip_start / step)
        result.append(
            [
                _Out(_with_parameter_sets(data, avc), first + shown[i], key)
                for i, (_pts, data, key) in enumerate(run)
            ]
        )
    return result


def splice_video(plan: CutPlan, encoded: Path | None, output: Path) -> None:
    """Write the clip's video (copied and encoded packets joined) to `output` (MP4)."""
    step = plan.frame_duration
    if step is None:
        raise SmartCutError(_("no constant frame duration"), path=plan.source)
    encode_segments = [s for s in plan.segments if s.kind == "encode"]
    encoded_runs = iter(_encoded(encoded, encode_segments, step) if encoded else [])
    with av.open(media_url(plan.source)) as source:
        template = _video_stream(source, plan.source)
        params = video_params(template)
        tb = params.time_base
        if params.avc is None:
            raise SmartCutError(_("the source has no avcC"), path=plan.source)
        ticks = step / tb
        if ticks.denominator != 1:
            raise SmartCutError(_("frame duration is not whole ticks"), path=plan.source)
        with av.open(media_url(output), "w", format="mp4") as out:
            stream = out.add_stream_from_template(template)
            stream.time_base = tb
            runs: list[tuple[Segment, list[_Out] | None]] = []
            for seg in plan.segments:
                runs.append((seg, next(encoded_runs) if seg.kind == "encode" else None))
            delay = max(
                [seg.reorder for seg, run in runs if run is None]
                + [_delay(run) for _kind, run in runs if run is not None]
                + [0]
            )
            decoded = 0
            for seg, run in runs:
                items = run if run is not None else _copied(plan.source, seg, params.avc, step)
                for item in items:
                    if decoded - delay > item.shown:
                        raise SmartCutError(_("decode order runs ahead of display order"))
                    packet = av.Packet(item.data)
                    packet.stream = stream
                    packet.time_base = tb
                    packet.pts = item.shown * int(ticks)
                    packet.dts = (decoded - delay) * int(ticks)
                    packet.duration = int(ticks)
                    packet.is_keyframe = item.key
                    out.mux(packet)
                    decoded += 1


def _delay(run: list[_Out]) -> int:
    first = min(o.shown for o in run)
    return max((i - (o.shown - first) for i, o in enumerate(run)), default=0)


def run_smart(
    plan: CutPlan,
    output: Path,
    *,
    settings: EncodeSettings | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """Make the clip of a smart or keyframe plan at `output` (written atomically)."""
    settings = settings or EncodeSettings()
    output.parent.mkdir(parents=True, exist_ok=True)  # as the accurate cut does
    with tempfile.TemporaryDirectory(prefix=".clipper-", dir=output.parent) as work_dir:
        work = Path(work_dir)
        has_encode = any(s.kind == "encode" for s in plan.segments)
        encoded = work / "encoded.mp4" if has_encode else None
        audio = work / "audio.m4a" if plan.has_audio else None
        args = graphs_from_files(build_parts_args(plan, encoded, audio, settings), work)
        if args:
            run_ffmpeg(
                args,
                progress=progress,
                what=_("encoding parts of {name}").format(name=plan.source.name),
            )
        if encoded is not None:
            _check_encoded_matches(plan, encoded)
        video = work / "video.mp4"
        splice_video(plan, encoded, video)
        inputs = ["-i", media_url(video)] + (["-i", media_url(audio)] if audio else [])
        maps = ["-map", "0:v"] + (["-map", "1:a"] if audio else [])
        with atomic_path(output) as tmp:
            run_ffmpeg(
                [*inputs, *maps, "-c", "copy", "-movflags", "+faststart", "-f", "mp4"]
                + ["-y", media_url(tmp)],
                what=_("writing {name}").format(name=output.name),
            )
        if progress:
            progress(plan.duration_ms)


def _check_encoded_matches(plan: CutPlan, encoded: Path) -> None:
    """Refuse to join parts whose stream parameters differ from the source's."""
    source = _source_params(plan.source)
    with av.open(media_url(encoded)) as container:
        made = video_params(container.streams.video[0])
    assert source.avc is not None
    if made.avc is None:
        raise SmartCutError(_("the encoder wrote no avcC"), path=encoded)
    differences = [
        name
        for name, a, b in (
            ("size", (source.width, source.height), (made.width, made.height)),
            ("profile", source.avc.profile_idc, made.avc.profile_idc),
            ("level", source.avc.level_idc, made.avc.level_idc),
            ("SAR", source.sample_aspect_ratio or 1, made.sample_aspect_ratio or 1),
        )
        if a != b
    ]
    if differences:
        raise SmartCutError(
            _("re-encoded parts do not match the source: {differences}").format(
                differences=", ".join(differences)
            ),
            path=plan.source,
        )
