"""Running a smart or keyframe plan: encode the heads and tails, copy the GOPs, join.

1. Several ffmpeg runs at once (one per core, see smart_parts) encode the `encode`
   segments into H.264 whose parameters match the source (profile, level, pixel format,
   SAR, colour), with an IDR forced at each chunk's first frame. The sound: an AAC-LC
   source's frames are copied and only short windows at the seams encoded (smart_audio);
   other sound is encoded whole in one more run beside them (cut at frame boundaries,
   5 ms fades).
2. PyAV splices the packets: copied GOPs straight from the source, encoded segments from
   step 1, each IDR carrying its own SPS/PPS in-band, so a decoder always has the
   parameter sets of the part it is in (one `avc1` sample description is not enough:
   players would keep the first part's). Presentation times are whole frames of the clip;
   decode times are renumbered so they rise steadily across seams.
3. ffmpeg remuxes picture and sound into the MP4 with the index first (`+faststart`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from clipper.cutting.cut_plan import CutPlan, Segment
from clipper.cutting.execute import EncodeSettings
from clipper.cutting.smart_audio import SmartAudioError, sound_plan, write_sound
from clipper.cutting.smart_parts import Job, audio_args, encode_parts, job_args, plan_jobs, workers
from clipper.errors import MediaError
from clipper.files.atomic import atomic_path
from clipper.i18n import _
from clipper.media.ffmpeg import ProgressCallback, media_url, run_ffmpeg
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
from clipper.timecode import fraction_to_ms


class SmartCutError(MediaError):
    """The copied and re-encoded parts could not be joined exactly (then: re-encode all)."""


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


def _encoded(jobs: list[Job], segments: list[Segment], step: Fraction) -> list[list[_Out]]:
    """The encoded segments' packets, gathered from the runs' files (each chunk of a
    segment must start with an IDR and carries its own run's parameter sets)."""
    result: list[list[_Out]] = [[] for _segment in segments]
    for job in jobs:
        with av.open(media_url(job.path)) as container:
            stream = container.streams.video[0]
            avc = parse_avcc(bytes(stream.codec_context.extradata or b""))
            if avc is None:
                raise SmartCutError(_("the encoder wrote no avcC"), path=job.path)
            packets = [
                (p.pts, bytes(p), bool(p.is_keyframe))
                for p in container.demux(stream)
                if p.pts is not None and p.size > 0
            ]
        if len(packets) != job.frames:
            raise SmartCutError(
                _("the encoder made {packets_count} frames, not {sum}").format(
                    packets_count=len(packets), sum=job.frames
                ),
                path=job.path,
            )
        at = 0
        for chunk in job.chunks:
            run = packets[at : at + chunk.frames]
            at += chunk.frames
            if NAL_IDR not in nal_types(run[0][1], avc.nal_length_size):
                raise SmartCutError(
                    _("an encoded part does not start with an IDR frame"), path=job.path
                )
            order = sorted(range(len(run)), key=lambda i: run[i][0])
            shown = {i: rank for rank, i in enumerate(order)}
            first = round(segments[chunk.segment].clip_start / step) + chunk.offset
            result[chunk.segment].extend(
                _Out(_with_parameter_sets(data, avc), first + shown[i], key)
                for i, (_pts, data, key) in enumerate(run)
            )
    for seg, outs in zip(segments, result, strict=True):
        if len(outs) != seg.frames:
            raise SmartCutError(_("an encoded segment is incomplete"), path=jobs[0].path)
    return result


def splice_video(plan: CutPlan, jobs: list[Job], output: Path) -> None:
    """Write the clip's video (copied and encoded packets joined) to `output` (MP4)."""
    step = plan.frame_duration
    if step is None:
        raise SmartCutError(_("no constant frame duration"), path=plan.source)
    encode_segments = [s for s in plan.segments if s.kind == "encode"]
    encoded_runs = iter(_encoded(jobs, encode_segments, step) if jobs else [])
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
    settings = (settings or EncodeSettings()).for_source(plan.source)
    output.parent.mkdir(parents=True, exist_ok=True)  # as the accurate cut does
    with tempfile.TemporaryDirectory(prefix=".clipper-", dir=output.parent) as work_dir:
        work = Path(work_dir)
        segments = [s for s in plan.segments if s.kind == "encode"]
        jobs = plan_jobs(segments, workers(), work)
        step = plan.frame_duration or Fraction(1, 25)
        runs: list[tuple[list[str], int]] = []
        if jobs:
            params = _source_params(plan.source)
            options = {"crf": settings.crf, **dict(settings.rate_options)}
            for job in jobs:
                args = job_args(plan, segments, job, params, settings, options)
                runs.append((args, fraction_to_ms(job.frames * step)))
        audio = work / "audio.m4a" if plan.has_audio else None
        sound = sound_plan(plan) if audio is not None else None
        if audio is not None and sound is None:  # not plain AAC: all of the sound encoded
            runs.append((audio_args(plan, audio, settings.audio_bitrate), plan.duration_ms))
        what = _("encoding parts of {name}").format(name=plan.source.name)
        if runs:
            encode_parts(runs, work, what=what, progress=progress, clip_ms=plan.duration_ms)
        if audio is not None and sound is not None:
            try:
                write_sound(plan, *sound, audio)
            except SmartAudioError:  # the frames were not as planned: encode all after all
                audio.unlink(missing_ok=True)
                run_ffmpeg(audio_args(plan, audio, settings.audio_bitrate), what=what)
        for job in jobs:
            _check_encoded_matches(plan, job.path)
        video = work / "video.mp4"
        splice_video(plan, jobs, video)
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
