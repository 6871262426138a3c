"""A smart cut's sound: the source's AAC frames copied, only the seams encoded anew.

Encoding the sound of a whole clip cost about as much CPU time as all the re-encoded
pictures of a smart cut (4.4 s for five minutes of a Teams-like call). Here the plan of
audio_plan.py is carried out with PyAV: copied frames are demuxed and put into the clip
with new times; each window is decoded from the source (with frames before and after it,
so the encoder's start-up delay and the frames' overlap fall outside the window), faded
at its seams, encoded with FFmpeg's AAC encoder at the source's settings, and only the
window's own frames are kept. The clip's first frame gets the encoder's priming frame
before it (hidden by an edit list), so it decodes whole. Each window is checked by
decoding it between the copied frames around it (see CODINGS).

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


class SmartAudioError(MediaError):
    """The source's sound could not be copied frame by frame (then: encode all of it)."""


@dataclass(frozen=True)
class SourceSound:
    rate: int
    layout: str
    bit_rate: int
    config: bytes  # the AudioSpecificConfig's core: object type, rate, channels
    extradata: bytes  # the whole AudioSpecificConfig (to decode a window as a player)
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
            extradata=extradata,
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
        last: bytes | None = None  # the source frame copied last (a window follows it)
        for k, part in enumerate(sound.parts):
            if part.clip_start != cursor:
                raise SmartAudioError(f"sound part at {part.clip_start}, expected {cursor}")
            if isinstance(part, CopyRun):
                last = _copy(container, stream, track, out, part)
                cursor += part.packets * FRAME
                continue
            after = sound.parts[k + 1] if k + 1 < len(sound.parts) else None
            follow = None
            if isinstance(after, CopyRun):
                follow = _frame(container, stream, after.first_pts)
            window = _encode(container, stream, part, source, (last, follow))
            for at, data in window:
                packet = av.Packet(data)
                packet.pts = packet.dts = part.clip_start + at
                packet.duration = FRAME
                packet.time_base = Fraction(1, source.rate)
                packet.stream = track
                out.mux(packet)
            cursor += part.frames * FRAME


def _copy(container: Any, stream: Any, track: Any, out: Any, run: CopyRun) -> bytes:
    """Mux the run's source frames with clip times; returns the last one's bytes."""
    container.seek(max(run.first_pts - 4 * FRAME, 0), stream=stream, backward=True)
    wanted = run.first_pts
    end = run.first_pts + run.packets * FRAME
    last = b""
    for packet in container.demux(stream):
        if packet.pts is None or packet.pts < wanted:
            continue
        if packet.pts >= end:
            break
        if packet.pts != wanted:  # (a frame cut short shows in the next one's time)
            raise SmartAudioError(f"source sound frame at {packet.pts}, expected {wanted}")
        last = bytes(packet)
        packet.pts = packet.dts = run.clip_start + (packet.pts - run.first_pts)
        packet.stream = track
        out.mux(packet)
        wanted += FRAME
    if wanted != end:
        raise SmartAudioError(f"source sound ends at {wanted}, expected {end}")
    return last


def _frame(container: Any, stream: Any, pts: int) -> bytes:
    """The bytes of the source's sound frame at `pts`."""
    container.seek(max(pts - 4 * FRAME, 0), stream=stream, backward=True)
    for packet in container.demux(stream):
        if packet.pts is not None and packet.pts >= pts:
            if packet.pts != pts:
                raise SmartAudioError(f"source sound frame at {packet.pts}, expected {pts}")
            return bytes(packet)
    raise SmartAudioError(f"no source sound frame at {pts}")


@dataclass(frozen=True)
class Coding:
    """One way to encode a window: FFmpeg's AAC coder, frames of lead-in and lead-out."""

    coder: str
    roll: int


# FFmpeg's AAC encoder, started afresh for each window, now and then garbles a frame
# near a seam or where the window meets the copied frames (a tone doubled or muffled for
# 20-40 ms, measured on pure tones); which coding does so depends on the sound. So each
# window is made in these ways, decoded between the copied frames around it as a player
# will, and the one closest to the sound it should carry is kept.
CODINGS = (Coding("twoloop", 2), Coding("twoloop", 4), Coding("fast", 2))
ROLL = max(c.roll for c in CODINGS) * FRAME  # source sound read on each side of a window


def _encode(
    container: Any,
    stream: Any,
    window: Window,
    source: SourceSound,
    around: tuple[bytes | None, bytes | None],
) -> list[tuple[int, bytes]]:
    """The window's frames as (time from its start, bytes); a priming frame at -FRAME
    when the window opens the clip (the muxer hides it with an edit list)."""
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
    # what a player should hear: the window, then the copied frame after it (if any)
    wanted = body if around[1] is None else np.concatenate([body, after[:, :FRAME]], axis=1)
    priming = window.clip_start == 0
    best: tuple[float, list[tuple[int, bytes]]] | None = None
    for coding in CODINGS:
        roll = coding.roll * FRAME
        pcm = np.concatenate([before[:, ROLL - roll :], body, after[:, :roll]], axis=1)
        frames = _encoded(pcm, roll, samples, priming, coding.coder, source)
        if len(frames) != window.frames + priming:
            raise SmartAudioError(f"encoded {len(frames)} sound frames, expected {window.frames}")
        error = _heard_error([data for _, data in frames], around, wanted, source)
        if best is None or error < best[0]:
            best = (error, frames)
    assert best is not None
    return best[1]


def _encoded(
    pcm: Any, roll: int, samples: int, priming: bool, coder: str, source: SourceSound
) -> list[tuple[int, bytes]]:
    """Encode `pcm` and keep the frames of [roll, roll + samples) (and one before it when
    `priming`), timed from `roll`."""
    encoder = av.CodecContext.create("aac", "w")
    encoder.sample_rate = source.rate
    encoder.layout = source.layout
    encoder.format = "fltp"
    encoder.bit_rate = source.bit_rate
    encoder.time_base = Fraction(1, source.rate)
    # Perceptual noise substitution turned a tone into a louder one in the frame before a
    # seam (measured at 91 kbit/s, 32 kHz); a window is a few frames, PNS saves nothing there.
    encoder.options = {"aac_pns": "0", "aac_coder": coder}
    encoder.open()
    if bytes(encoder.extradata or b"")[:2] != source.config:
        raise SmartAudioError("the encoder's AAC settings differ from the source's")
    keep_from = roll - FRAME if priming else roll
    kept: list[tuple[int, bytes]] = []

    def keep(packets: list[Any]) -> None:
        for packet in packets:
            if packet.pts is not None and keep_from <= packet.pts < roll + samples:
                kept.append((int(packet.pts) - roll, bytes(packet)))

    for offset in range(0, pcm.shape[1], FRAME):
        chunk = np.ascontiguousarray(pcm[:, offset : offset + FRAME])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=source.layout)
        frame.sample_rate = source.rate
        frame.pts = offset
        frame.time_base = Fraction(1, source.rate)
        keep(encoder.encode(frame))
    keep(encoder.encode(None))
    return kept


def _heard_error(
    frames: list[bytes],
    around: tuple[bytes | None, bytes | None],
    wanted: Any,
    source: SourceSound,
) -> float:
    """Squared error of the window as decoded after the copied frame before it (or its
    own priming frame) and with the copied frame after it, against `wanted`."""
    decoder = av.CodecContext.create("aac", "r")
    decoder.extradata = source.extradata
    before, after = around
    sequence = ([before] if before is not None else []) + frames
    sequence += [after] if after is not None else []
    heard = [f.to_ndarray() for data in sequence for f in decoder.decode(av.Packet(data))]
    if not heard:
        raise SmartAudioError("a window's sound frames did not decode")
    pcm = np.concatenate(heard[1:], axis=1) if len(heard) > 1 else heard[0][:, :0]
    if pcm.shape != wanted.shape:
        raise SmartAudioError(f"a window decoded to {pcm.shape[1]} samples, not {wanted.shape[1]}")
    return float(np.sum((pcm - wanted) ** 2))


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
