"""The damage check of a cut when the recording was not decoded whole before.

Decoding every frame a clip uses (media/damage.py over its spans) was most of a smart
cut's cost: a five-minute clip that re-encodes 154 frames decoded 7,436. Here only what
is worth decoding is decoded:

- every frame that is re-encoded (from the keyframe before it, as ffmpeg will), exactly
  as before: errors, concealed damage, lost data, timestamps;
- of the copied GOPs, the first frame (the IDR, decoded on its own: it needs no other)
  and, at the packet level from the packet index (no decoding), every packet: its NAL
  units must fill it and hold no forbidden zero run (media/keyframes.py), the demuxer
  must not have lost data before it, decode times must rise without a jump;
- a copied GOP with a packet that fails those checks is decoded up to that packet, so
  the report says what the decoder finds there and when.

What this does not find: a flipped bit inside a copied P- or B-frame (the container and
the NAL structure stay intact, only decoding shows it; the clip then shows the same
damage as the recording). The whole-recording check finds it: `clipper probe`, `clipper
ingest` and `clipper publish` decode everything once and leave the verdict that every
later cut of the file uses instead (media/verdicts.py).
"""

from __future__ import annotations

from contextlib import suppress
from fractions import Fraction
from pathlib import Path

import av

from clipper.i18n import _
from clipper.media.damage import (
    BACKWARDS,
    UNDECODABLE,
    Damage,
    DamageReport,
    _ffmpeg_errors,
    _merged,
    clock,
    scan_damage,
)
from clipper.media.keyframes import PacketRef
from clipper.media.probe import _main_video, open_media
from clipper.timecode import fraction_to_ms

Span = tuple[Fraction, Fraction]
_GAP_FRAMES = 25  # as media/damage.py: a jump of 25 frame durations (and >= 1 s) is damage
_GAP_MIN = Fraction(1)


def check_cut(
    path: Path,
    encoded: list[Span],
    copied: list[Span],
    packets: list[PacketRef],
    step: Fraction | None,
) -> DamageReport:
    """The damage in a cut that re-encodes `encoded` and copies `copied` (recording
    times); `packets` are the packet index's packets around them, in decode order."""
    path = Path(path)
    damages: list[Damage] = []
    suspects: list[Span] = []
    idrs: list[Fraction] = []
    gap = max((step or Fraction(1, 25)) * _GAP_FRAMES, _GAP_MIN)
    for start, end in copied:
        run = [p for p in packets if start <= p.pts < end]
        idrs += [p.pts for p in run if p.idr]
        last: PacketRef | None = None
        for p in run:
            if not p.intact:
                suspects.append((p.pts, p.pts))
            if last is not None and p.dts < last.dts:
                damages.append(Damage(p.pts, BACKWARDS))
            elif last is not None and p.dts - last.dts > gap:
                jump = clock(fraction_to_ms(p.dts - last.dts))
                what = _("the video stops for {jump} there").format(jump=jump)
                damages.append(Damage(last.dts, what))
            last = p
    frames = 0
    spans = encoded + suspects
    if spans:
        report = scan_damage(path, sorted(spans))
        damages += report.damages
        frames += report.frames
    idr_damages, idr_frames = _decode_alone(path, idrs)
    damages += idr_damages
    frames += idr_frames
    if frames == 0:  # nothing decoded: is any frame decodable? (the old, whole check)
        return scan_damage(path, sorted(encoded + copied))
    return DamageReport(path=path, damages=_merged(damages), frames=frames)


def _decode_alone(path: Path, times: list[Fraction]) -> tuple[list[Damage], int]:
    """Decode each IDR at `times` on its own (an IDR needs no other frame)."""
    damages: list[Damage] = []
    frames = 0
    if not times:
        return damages, frames
    with open_media(path) as container, _ffmpeg_errors() as logs:
        video = _main_video([s for s in container.streams if s.type == "video"])
        if video is None:
            return damages, frames
        origin = Fraction(container.start_time or 0, 1_000_000)
        tick = Fraction(video.time_base)
        ctx = video.codec_context
        demuxer = container.format.name
        for t in sorted(set(times)):
            container.seek(int((t + origin) / tick), stream=video, backward=True)
            ctx.flush_buffers()
            for packet in container.demux(video):
                if packet.pts is None or packet.size == 0:
                    continue
                at = packet.pts * tick - origin
                if at < t:
                    continue
                if at > t:  # the seek went past it: the packet index and the file differ
                    damages.append(Damage(t, UNDECODABLE))
                    break
                seen = len(logs)
                try:
                    got = len(ctx.decode(packet))
                    got += len(ctx.decode(None))
                except av.error.FFmpegError:
                    damages.append(Damage(t, UNDECODABLE))
                else:
                    frames += got
                    if got == 0 or any(entry[1] != demuxer for entry in logs[seen:]):
                        damages.append(Damage(t, UNDECODABLE))
                break
            with suppress(av.error.FFmpegError):
                ctx.flush_buffers()
    return damages, frames
