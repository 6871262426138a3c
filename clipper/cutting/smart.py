"""Pure planning of smart and keyframe cuts: which frames are copied, which re-encoded.

A smart cut splits each piece at the IDR keyframes inside it: the head [start, first IDR)
is re-encoded, whole GOPs [first IDR, last IDR) are copied untouched, the tail [last IDR,
end) is re-encoded. Only IDRs that close their GOP (no packet on either side of it in
decode order is shown on the other side) are used as boundaries. Whatever smart cut
cannot do exactly (variable frame rate, codecs or parameters the encoder cannot match, no
IDR inside a range) falls back to re-encoding, and the plan says why. A keyframe cut snaps
each range to the nearest such IDRs and copies everything. Nothing here touches media.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import replace
from fractions import Fraction

from clipper.cutting.cut_plan import CutPlan, PlannedPiece, Segment, accurate_plan, time_text
from clipper.cutting.modes import CutMode
from clipper.cutting.plan import FramePlan, Piece
from clipper.errors import RangeError
from clipper.i18n import _
from clipper.media.keyframes import PacketIndex, PacketRef, VideoParams
from clipper.timecode import ms_to_fraction

# H.264 profiles libx264 can reproduce exactly in yuv420p: Baseline, Main, High.
MATCHABLE_PROFILES = {66: "baseline", 77: "main", 100: "high"}
MATCHABLE_PIX_FMTS = {"yuv420p", "yuvj420p"}


def smart_blockers(params: VideoParams, frame_times: list[list[Fraction]]) -> list[str]:
    """Why copied GOPs and re-encoded frames could not be joined exactly ([] when they can)."""
    if params.codec != "h264":
        return [
            _("the video is {codec}, not H.264: its GOPs cannot be copied into MP4").format(
                codec=params.codec
            )
        ]
    reasons = []
    avc = params.avc
    if avc is None:
        reasons.append(_("the H.264 stream has no avcC parameter sets (not an MP4-style stream)"))
    else:
        if avc.profile_idc not in MATCHABLE_PROFILES:
            reasons.append(
                _("H.264 profile {profile_idc} cannot be matched by the encoder").format(
                    profile_idc=avc.profile_idc
                )
            )
        if avc.nal_length_size != 4:
            reasons.append(_("H.264 NAL length size is not 4 bytes"))
    if params.pix_fmt not in MATCHABLE_PIX_FMTS:
        reasons.append(
            _("pixel format {pix_fmt} cannot be matched by the encoder").format(
                pix_fmt=params.pix_fmt
            )
        )
    step = frame_duration(frame_times)
    if all(len(times) < 2 for times in frame_times):
        reasons.append(_("every range is a single frame: there is nothing to copy"))
    elif step is None:
        reasons.append(
            _("the frame rate is variable: re-encoded and copied frames would not line up")
        )
    elif (step / params.time_base).denominator != 1:
        reasons.append(_("the frame duration is not a whole number of time-base ticks"))
    return reasons


def frame_duration(frame_times: list[list[Fraction]]) -> Fraction | None:
    """The one frame duration of a constant-frame-rate source, else None."""
    gaps = {b - a for times in frame_times for a, b in itertools.pairwise(times)}
    return gaps.pop() if len(gaps) == 1 else None


def copy_boundaries(index: PacketIndex) -> list[Fraction]:
    """IDR times where a copied run of GOPs may start or stop, sorted.

    An IDR qualifies when every packet before it in decode order is shown before it and
    none after it is: then the GOPs on either side decode on their own.
    """
    packets = index.packets
    bounds = []
    seen_max: Fraction | None = None
    suffix_min: list[Fraction] = [Fraction(0)] * len(packets)
    running: Fraction | None = None
    for i in range(len(packets) - 1, -1, -1):
        pts = packets[i].pts
        running = pts if running is None or pts < running else running
        suffix_min[i] = running
    for i, p in enumerate(packets):
        if p.idr and (seen_max is None or seen_max < p.pts) and suffix_min[i] >= p.pts:
            bounds.append(p.pts)
        seen_max = p.pts if seen_max is None or p.pts > seen_max else seen_max
    if index.stream_end is not None:
        bounds.append(index.stream_end)
    return sorted(set(bounds))


def copy_end_points(index: PacketIndex) -> list[Fraction]:
    """Times where a copied run may stop, sorted: after any prefix of the packets in decode
    order that shows exactly the frames before that time (every frame after it in decode
    order is shown later).

    A decode-order prefix never refers to a frame outside it, so it decodes on its own even
    when it ends inside a GOP: a range's end then costs only the frames from the last such
    point (at most one run of B-frames after a reference frame), not the rest of a GOP.
    """
    packets = index.packets
    ends: list[Fraction] = []
    suffix_min: list[Fraction | None] = [None] * (len(packets) + 1)
    for i in range(len(packets) - 1, -1, -1):
        later = suffix_min[i + 1]
        pts = packets[i].pts
        suffix_min[i] = pts if later is None or pts < later else later
    shown_max: Fraction | None = None
    for i, p in enumerate(packets):
        nxt = suffix_min[i]
        if shown_max is not None and nxt is not None and shown_max < nxt:
            ends.append(nxt)
        shown_max = p.pts if shown_max is None or p.pts > shown_max else shown_max
    if index.stream_end is not None:
        ends.append(index.stream_end)
    return sorted(set(ends))


def _reorder(packets: list[PacketRef]) -> int:
    """Max of (decode position - display position) over a closed run of packets."""
    order = sorted(range(len(packets)), key=lambda i: packets[i].pts)
    shown_at = {i: rank for rank, i in enumerate(order)}
    return max((i - shown_at[i] for i in range(len(packets))), default=0)


def _last_key_at_or_before(index: PacketIndex, t: Fraction) -> Fraction | None:
    keys = sorted(p.pts for p in index.packets if p.key and p.pts <= t)
    return keys[-1] if keys else None


def split_piece(piece: Piece, index: PacketIndex) -> PlannedPiece:
    """Split one piece into encode head, copied GOPs and encode tail."""
    times = sorted(p.pts for p in index.packets if piece.start <= p.pts < piece.end)
    starts = [b for b in copy_boundaries(index) if piece.start <= b < piece.end]
    ends = [e for e in copy_end_points(index) if starts and starts[0] < e <= piece.end]
    encode_all = Segment(
        "encode",
        piece.start,
        piece.end,
        len(times),
        piece.clip_start,
        decode_from=_last_key_at_or_before(index, piece.start),
    )
    if not starts or not ends:
        note = _("no IDR keyframe to copy from inside this range: it is re-encoded")
        return PlannedPiece(piece, (encode_all,), note)
    copy_from, copy_to = starts[0], ends[-1]
    segments: list[Segment] = []

    def frames_in(a: Fraction, b: Fraction) -> int:
        return bisect.bisect_left(times, b) - bisect.bisect_left(times, a)

    clip_at = piece.clip_start
    step = (piece.end - piece.start) / len(times)
    if copy_from > piece.start:
        n = frames_in(piece.start, copy_from)
        segments.append(
            Segment(
                "encode",
                piece.start,
                copy_from,
                n,
                clip_at,
                decode_from=_last_key_at_or_before(index, piece.start),
            )
        )
        clip_at += n * step
    run = [p for p in index.packets if copy_from <= p.pts < copy_to]
    segments.append(Segment("copy", copy_from, copy_to, len(run), clip_at, reorder=_reorder(run)))
    clip_at += len(run) * step
    if copy_to < piece.end:
        n = frames_in(copy_to, piece.end)
        tail_from = _last_key_at_or_before(index, copy_to)
        segments.append(Segment("encode", copy_to, piece.end, n, clip_at, decode_from=tail_from))
    return PlannedPiece(piece, tuple(segments))


def plan_smart(cut: FramePlan, indexes: list[PacketIndex], *, requested: CutMode) -> CutPlan:
    """Smart plan when it is safe, else the accurate one; the notes say which and why."""
    params = indexes[0].params if indexes else None
    piece_times = [
        sorted(p.pts for p in idx.packets if piece.start <= p.pts < piece.end)
        for piece, idx in zip(cut.pieces, indexes, strict=True)
    ]
    blockers = smart_blockers(params, piece_times) if params else [_("no video stream")]
    if blockers:
        note = _("{mode} mode: re-encoding the whole clip (accurate), because {reasons}").format(
            mode=requested, reasons="; ".join(blockers)
        )
        return accurate_plan(cut, extra_notes=[note])
    pieces = [split_piece(piece, idx) for piece, idx in zip(cut.pieces, indexes, strict=True)]
    plan = CutPlan(CutMode.smart, cut, pieces, frame_duration(piece_times), list(cut.notes))
    plan.notes.append(
        _("{requested} mode: {frames_copied} frames copied, {frames_encoded} re-encoded").format(
            requested=requested,
            frames_copied=plan.frames_copied,
            frames_encoded=plan.frames_encoded,
        )
    )
    return plan


def snap_to_keyframes(cut: FramePlan, indexes: list[PacketIndex]) -> CutPlan:
    """Keyframe mode: each range snapped to the nearest copy boundaries, all copied."""
    params = indexes[0].params if indexes else None
    if params is None or params.codec != "h264" or params.avc is None:
        codec = params.codec if params else "none"
        raise RangeError(
            _("keyframe mode copies H.264 (MP4) video only; this video is {codec}").format(
                codec=codec
            ),
            path=cut.source,
            hint=_("use --mode accurate"),
        )
    pieces: list[PlannedPiece] = []
    new_pieces: list[Piece] = []
    clip_at = Fraction(0)
    all_times: list[list[Fraction]] = []
    for piece, index in zip(cut.pieces, indexes, strict=True):
        bounds = copy_boundaries(index)
        want_start = ms_to_fraction(piece.range.start_ms)
        want_end = ms_to_fraction(piece.range.end_ms)
        if not bounds:
            raise RangeError(_("no IDR keyframe near this range"), line=piece.range.line)
        start = min(bounds, key=lambda b: (abs(b - want_start), -b))  # ties: later
        later = [b for b in bounds if b > start]
        if not later:
            start_text = time_text(start)
            raise RangeError(
                _("no keyframe after {start_text} to end the range {describe} at").format(
                    start_text=start_text, describe=piece.range.describe()
                ),
                line=piece.range.line,
                path=cut.source,
                hint=_("use --mode smart or accurate"),
            )
        end = min(later, key=lambda b: (abs(b - want_end), -b))
        run = [p for p in index.packets if start <= p.pts < end]
        times = sorted(p.pts for p in run)
        all_times.append(times)
        snapped = replace(
            piece, start=start, end=end, frames=len(run), clip_start=clip_at,
            trim_start=start, trim_end=end,
        )  # fmt: skip
        new_pieces.append(snapped)
        segment = Segment("copy", start, end, len(run), clip_at, reorder=_reorder(run))
        note = None
        if start != want_start or end != want_end:
            note = _(
                "snapped to keyframes: asked {time_text} - "
                "{time_text2}, cut {time_text3} - {time_text4}"
            ).format(
                time_text=time_text(want_start),
                time_text2=time_text(want_end),
                time_text3=time_text(start),
                time_text4=time_text(end),
            )
        pieces.append(PlannedPiece(snapped, (segment,), note))
        clip_at += end - start
    step = frame_duration(all_times)
    if step is None:
        raise RangeError(
            _("keyframe mode needs a constant frame rate; this recording's varies"),
            path=cut.source,
            hint=_("use --mode accurate"),
        )
    snapped_cut = replace(cut, pieces=new_pieces)
    notes = list(cut.notes) + [
        _(
            "keyframe mode: video copied, cut at keyframes (not frame-accurate); "
            "subtitles follow the snapped times"
        )
    ]
    for a, b in itertools.combinations(range(len(new_pieces)), 2):
        first, second = new_pieces[a], new_pieces[b]
        if first.start < second.end and second.start < first.end:
            notes.append(
                _(
                    "after snapping, pieces {value} and {value2} overlap: some frames appear twice"
                ).format(value=a + 1, value2=b + 1)
            )
    return CutPlan(CutMode.keyframe, snapped_cut, pieces, step, notes)
