"""A smart cut's sound: the source's AAC frames copied, only the seams encoded anew.

Encoding the sound of a whole clip cost about as much CPU time as all the re-encoded
pictures of a smart cut (4.4 s for five minutes of a Teams-like call). Here the plan of
audio_plan.py is carried out with PyAV: copied frames are demuxed and put into the clip
with new times; each window is decoded from the source (with two frames before and after
it, so the encoder's start-up delay and the frames' overlap fall outside the window),
faded at its seams, encoded with FFmpeg's AAC encoder at the source's settings, and only
the window's own frames are kept.

Only plain AAC-LC sources whose frames lie on one grid qualify (`sound_plan` says None
otherwise); anything unexpected while copying raises SmartAudioError, and the caller then
encodes the whole clip's sound as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from clipper.cutting.audio_plan import FRAME, CopyRun, PieceSound, SoundPlan, Window, plan_sound
from clipper.cutting.cut_plan import CutPlan
from clipper.cutting.execute import SEAM_FADE
from clipper.errors import MediaError
from clipper.media.ffmpeg import media_url

ROLL = 2 * FRAME  # samples encoded before and after a window and dropped


class SmartAudioError(MediaError):
    """The source's sound could not be copied frame by frame (then: encode all of it)."""


@dataclass(frozen=True)
class SourceSound:
    rate: int
    layout: str
    bit_rate: int
    config: bytes  # the AudioSpecificConfig's core: object type, rate, channels
    origin: Fraction  # the container's start time (recording time 0)


def sound_plan(plan: CutPlan) -> tuple[SoundPlan, SourceSound] | None:
    """The copy/encode plan of the clip's sound, or None when the source's sound is not
    plain AAC-LC on a regular frame grid (then the whole sound is encoded)."""
    with av.open(media_url(plan.source)) as container:
        streams = list(container.streams.audio)
        if len(streams) != 1:
            return None
        stream = streams[0]
        context = stream.codec_context
        extradata = bytes(context.extradata or b"")
        if context.name != "aac" or context.profile != "LC" or len(extradata) < 2:
            return None
        if stream.time_base != Fraction(1, context.sample_rate) or not stream.duration:
            return None
        first = next((p for p in container.demux(stream) if p.pts is not None), None)
        if first is None or first.duration != FRAME:
            return None
        origin = Fraction(container.start_time or 0, 1_000_000)
        source = SourceSound(
            rate=context.sample_rate,
            layout=context.layout.name,
            bit_rate=stream.bit_rate or context.bit_rate or 128_000,
            config=extradata[:2],
            origin=origin,
        )
        assert first.pts is not None
        first_pts = int(first.pts)
        start = stream.start_time if stream.start_time is not None else first_pts
        end_pts = start + stream.duration
    rate = source.rate
    cut = plan.frame_plan
    edges = [round(p.clip_start * rate) for p in cut.pieces]
    edges.append(round((cut.pieces[-1].clip_start + cut.pieces[-1].duration) * rate))
    pieces = [
        PieceSound(
            source_start=round((p.start + origin) * rate),
            clip_start=edges[i],
            samples=edges[i + 1] - edges[i],
        )
        for i, p in enumerate(cut.pieces)
    ]
    planned = plan_sound(pieces, first_pts % FRAME, first_pts=max(first_pts, 0), end_pts=end_pts)
    return planned, source


def write_sound(plan: CutPlan, sound: SoundPlan, source: SourceSound, output: Path) -> None:
    """Write the clip's sound track as `output` (an .m4a), part by part, in clip order."""
    with (
        av.open(media_url(plan.source)) as container,
        av.open(media_url(output), "w", format="ipod") as out,
    ):
        stream = container.streams.audio[0]
        track = out.add_stream_from_template(stream)
        cursor = 0
        for part in sound.parts:
            if part.clip_start != cursor:
                raise SmartAudioError(f"sound part at {part.clip_start}, expected {cursor}")
            if isinstance(part, CopyRun):
                _copy(container, stream, track, out, part)
                cursor += part.packets * FRAME
            else:
                _encode(container, stream, track, out, part, source)
                cursor += part.frames * FRAME


def _copy(container: Any, stream: Any, track: Any, out: Any, run: CopyRun) -> None:
    container.seek(max(run.first_pts - 4 * FRAME, 0), stream=stream, backward=True)
    wanted = run.first_pts
    end = run.first_pts + run.packets * FRAME
    for packet in container.demux(stream):
        if packet.pts is None or packet.pts < wanted:
            continue
        if packet.pts >= end:
            break
        if packet.pts != wanted:  # (a frame cut short shows in the next one's time)
            raise SmartAudioError(f"source sound frame at {packet.pts}, expected {wanted}")
        packet.pts = packet.dts = run.clip_start + (packet.pts - run.first_pts)
        packet.stream = track
        out.mux(packet)
        wanted += FRAME
    if wanted != end:
        raise SmartAudioError(f"source sound ends at {wanted}, expected {end}")


def _encode(
    container: Any, stream: Any, track: Any, out: Any, window: Window, source: SourceSound
) -> None:
    samples = window.frames * FRAME
    channels = stream.codec_context.channels
    body = np.zeros((channels, samples), dtype=np.float32)
    at = 0
    fade = round(SEAM_FADE * source.rate)
    for span in window.spans:
        pcm = _read(container, stream, span.source_start, span.samples)
        if span.fade_in:
            n = min(fade, span.samples)
            pcm[:, :n] *= np.linspace(0, 1, n, endpoint=False, dtype=np.float32)
        if span.fade_out:
            n = min(fade, span.samples)
            pcm[:, span.samples - n :] *= np.linspace(1, 0, n, endpoint=False, dtype=np.float32)
        body[:, at : at + span.samples] = pcm
        at += span.samples
    first, last = window.spans[0], window.spans[-1]
    before = _read(container, stream, first.source_start - ROLL, ROLL)
    after = _read(container, stream, last.source_start + last.samples, ROLL)
    if first.fade_in:
        before[:] = 0  # the clip starts here: nothing before it may sound in the window
    if last.fade_out:
        after[:] = 0
    pcm = np.concatenate([before, body, after], axis=1)
    encoder = av.CodecContext.create("aac", "w")
    encoder.sample_rate = source.rate
    encoder.layout = source.layout
    encoder.format = "fltp"
    encoder.bit_rate = source.bit_rate
    encoder.time_base = Fraction(1, source.rate)
    encoder.open()
    if bytes(encoder.extradata or b"")[:2] != source.config:
        raise SmartAudioError("the encoder's AAC settings differ from the source's")
    keep_from, keep_to = ROLL, ROLL + samples
    kept = 0

    def mux(packets: list[Any]) -> None:
        nonlocal kept
        for packet in packets:
            if packet.pts is None or not keep_from <= packet.pts < keep_to:
                continue
            packet.pts = packet.dts = window.clip_start + packet.pts - keep_from
            packet.stream = track
            out.mux(packet)
            kept += 1

    for offset in range(0, pcm.shape[1], FRAME):
        chunk = np.ascontiguousarray(pcm[:, offset : offset + FRAME])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=source.layout)
        frame.sample_rate = source.rate
        frame.pts = offset
        frame.time_base = Fraction(1, source.rate)
        mux(encoder.encode(frame))
    mux(encoder.encode(None))
    if kept != window.frames:
        raise SmartAudioError(f"encoded {kept} sound frames, expected {window.frames}")


def _read(container: Any, stream: Any, start: int, samples: int) -> Any:
    """`samples` of decoded source sound from pts `start` (silence outside the source)."""
    channels = stream.codec_context.channels
    pcm = np.zeros((channels, samples), dtype=np.float32)
    if samples <= 0:
        return pcm
    container.seek(max(start - 4 * FRAME, 0), stream=stream, backward=True)
    stream.codec_context.flush_buffers()
    end = start + samples
    for packet in container.demux(stream):
        if packet.pts is not None and packet.pts >= end + FRAME:
            break
        for frame in packet.decode():
            if frame.pts is None:
                continue
            data = frame.to_ndarray()
            low, high = max(start, frame.pts), min(end, frame.pts + data.shape[1])
            if low < high:
                pcm[:, low - start : high - start] = data[:, low - frame.pts : high - frame.pts]
    return pcm
