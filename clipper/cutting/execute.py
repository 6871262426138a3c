"""Running a cut plan: one ffmpeg run that seeks to each piece, trims it and joins them.

Each piece is its own ffmpeg input with an input `-ss` shortly before the piece, so ffmpeg
decodes from the preceding keyframe only: cost grows with the clip, not the recording.
`trim`/`atrim` then cut at the planned frame boundaries, and the concat filter joins the
pieces, padding the shorter stream so audio stays with its picture. Audio is decoded and
encoded once for the whole clip, with a few ms of fade at every seam against clicks.
"""

from __future__ import annotations

import itertools
import math
import tempfile
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from clipper.cutting.cut_plan import CutPlan
from clipper.cutting.plan import FramePlan, Piece
from clipper.errors import ClipperError
from clipper.files.atomic import atomic_path
from clipper.i18n import _
from clipper.media.bitrate import RateRule, audio_bitrate, measure_source, video_rate_options
from clipper.media.ffmpeg import (
    ProgressCallback,
    ffmpeg_exe,
    graphs_from_files,
    media_url,
    run_ffmpeg,
)
from clipper.timecode import fraction_to_ms

CLIP_AUDIO_RATE = 48_000  # Hz: every clip's audio, whatever the source's rate
SEAM_FADE = Fraction(5, 1000)  # seconds of fade in/out at each seam
SEEK_MARGIN = Fraction(1)  # seek this far before a piece; trim does the exact cut


@dataclass(frozen=True)
class EncodeSettings:
    """Encoder choices for re-encoded video and audio (H.264 High + AAC, for browsers).

    `rates` holds the video to about the source's bitrate and takes the sound's bitrate
    from the source (clipper.media.bitrate); `for_source` fills them in per recording.
    """

    preset: str = "fast"
    crf: int = 18
    audio_bitrate: str = "128k"
    # Smart cut re-encodes only seconds around each cut: a faster preset halves its time and
    # still keeps re-encoded frames far above 40 dB PSNR at this crf.
    parts_preset: str = "superfast"
    rates: RateRule | None = field(default_factory=RateRule)  # None: no cap (or filled in)
    rate_options: tuple[tuple[str, Any], ...] = ()

    def for_source(self, source: Path) -> EncodeSettings:
        """These settings with the bitrate cap and sound bitrate of `source` filled in."""
        if self.rates is None:
            return self
        rate = measure_source(source)
        return replace(
            self,
            audio_bitrate=audio_bitrate(self.rates, rate),
            rate_options=tuple(video_rate_options(self.rates, rate).items()),
            rates=None,
        )


def _seconds(value: Fraction) -> str:
    """Seconds as ffmpeg reads them (microsecond precision)."""
    return f"{math.floor(value * 1_000_000) / 1_000_000:.6f}"


MAX_INPUTS = 32
"""At most this many inputs (seeks into the source) per ffmpeg run: a clip of thousands of
ranges must neither open thousands of decoders nor outgrow the command line."""


def _seek_before(start: Fraction) -> Fraction:
    return Fraction(max(0, math.floor((start - SEEK_MARGIN) * 1_000_000)), 1_000_000)


def piece_inputs(plan: FramePlan) -> list[tuple[Any, Fraction]]:
    """For each piece, the source opened with a seek shortly before it, and the seek time.

    Up to MAX_INPUTS pieces each get their own input. Beyond that, pieces close together in
    the recording share one input that reads from before the first to after the last: the
    recording is split where it has the largest gaps between pieces, so little is decoded
    in vain.
    """
    pieces = plan.pieces
    order = sorted(range(len(pieces)), key=lambda i: (pieces[i].trim_start, i))
    groups: list[list[int]] = [[i] for i in order]
    if len(groups) > MAX_INPUTS:
        gaps = sorted(
            range(1, len(order)),
            key=lambda k: pieces[order[k]].trim_start - pieces[order[k - 1]].trim_end,
            reverse=True,
        )
        cuts = sorted(gaps[: MAX_INPUTS - 1])
        bounds = [0, *cuts, len(order)]
        groups = [order[a:b] for a, b in itertools.pairwise(bounds)]
    found: list[tuple[Any, Fraction] | None] = [None] * len(pieces)
    for group in groups:
        seek = _seek_before(min(pieces[i].trim_start for i in group))
        read_for = max(pieces[i].trim_end for i in group) - seek + SEEK_MARGIN
        source = ffmpeg.input(media_url(plan.source), ss=_seconds(seek), t=_seconds(read_for))
        for i in group:
            found[i] = (source, seek)
    return [entry for entry in found if entry is not None]


def piece_audio(source: Any, piece: Piece, seek: Fraction) -> Any:
    """The piece's audio, cut at its frame boundaries, with short fades at both seams.

    Resampled to one clip rate and padded or trimmed to exactly the piece's duration in
    samples: the concat filter starts the next piece after the longer of picture and sound,
    so audio a few ms too long (overlapping packets where a recording was joined) would
    open a gap in the picture's time line at the seam.
    """
    offset = piece.start - seek
    duration = piece.duration
    samples = math.floor(duration * CLIP_AUDIO_RATE + Fraction(1, 2))
    return (
        source.audio.filter("atrim", start=_seconds(offset), end=_seconds(offset + duration))
        .filter("asetpts", f"PTS-{_seconds(offset)}/TB")
        .filter("aresample", CLIP_AUDIO_RATE, **{"async": 1, "first_pts": 0})
        .filter("apad", whole_len=samples)
        .filter("atrim", end_sample=samples)
        .filter("afade", t="in", d=_seconds(SEAM_FADE))
        .filter(
            "afade",
            t="out",
            st=_seconds(max(duration - SEAM_FADE, Fraction(0))),
            d=_seconds(SEAM_FADE),
        )
    )


def _clip_options(settings: EncodeSettings, has_audio: bool) -> dict[str, Any]:
    """The clip's codecs: H.264 High and AAC, index first, for browsers."""
    options: dict[str, Any] = {
        "c:v": "libx264",
        "preset": settings.preset,
        "crf": settings.crf,
        **dict(settings.rate_options),
        "pix_fmt": "yuv420p",
        "profile:v": "high",
        "fps_mode": "passthrough",
        "movflags": "+faststart",
        "f": "mp4",
    }
    if has_audio:
        options.update({"c:a": "aac", "b:a": settings.audio_bitrate})
    return options


LOSSLESS_OPTIONS: dict[str, Any] = {
    "c:v": "libx264",
    "preset": "ultrafast",
    "qp": 0,
    "pix_fmt": "yuv420p",
    "fps_mode": "passthrough",
    "c:a": "pcm_s16le",
    "f": "mov",
}
"""A batch's intermediate file: lossless H.264 (the same 4:2:0 pixels the clip's encoder
would get) and PCM sound (every sample and fade kept), in MOV (any time base)."""


def build_cut_args(
    plan: FramePlan, output: Path, settings: EncodeSettings, *, lossless: bool = False
) -> list[str]:
    """The ffmpeg arguments (without the binary) that make the clip of `plan` at `output`
    (with `lossless`, a batch's intermediate file instead).

    Plan times are recording times (from the container's start), which is also what
    ffmpeg's input `-ss` and the filter timestamps after it count from.
    """
    segments: list[Any] = []
    for piece, (source, seek) in zip(plan.pieces, piece_inputs(plan), strict=True):
        video = source.video.trim(
            start=_seconds(piece.trim_start - seek),
            end=_seconds(piece.trim_end - seek),
        ).setpts("PTS-STARTPTS")
        segments.append(video)
        if plan.has_audio:
            segments.append(piece_audio(source, piece, seek))
    return _encode_args(segments, plan.has_audio, output, settings, lossless=lossless)


def build_join_args(
    parts: list[Path],
    has_audio: bool,
    output: Path,
    settings: EncodeSettings,
    *,
    lossless: bool = False,
) -> list[str]:
    """ffmpeg arguments joining intermediate files, in order, into `output`."""
    segments: list[Any] = []
    for part in parts:
        source = ffmpeg.input(media_url(part))
        segments.append(source.video)
        if has_audio:
            segments.append(source.audio)
    return _encode_args(segments, has_audio, output, settings, lossless=lossless)


def _encode_args(
    segments: list[Any],
    has_audio: bool,
    output: Path,
    settings: EncodeSettings,
    *,
    lossless: bool,
) -> list[str]:
    joined = ffmpeg.concat(*segments, v=1, a=1 if has_audio else 0).node
    outputs = [joined[0]] + ([joined[1]] if has_audio else [])
    options = dict(LOSSLESS_OPTIONS) if lossless else _clip_options(settings, has_audio)
    if not has_audio:
        options.pop("c:a", None)
    stream = ffmpeg.output(*outputs, media_url(output), **options).overwrite_output()
    args: list[str] = ffmpeg.compile(stream, cmd=ffmpeg_exe())[1:]
    return args


BATCH_PIECES = 64
"""At most this many pieces per ffmpeg run. One run over thousands of pieces slows down
far more than in proportion (measured before batching: 100 one-frame ranges 16 s, 300
ranges 122 s): every input feeds all the trim chains of the pieces it holds, and the
concat filter buffers the frames of every piece it is not at yet. So a long clip is cut
in batches into lossless intermediate files (see LOSSLESS_OPTIONS: no frame, pixel or
sample changes) and these are joined through the concat filter, MAX_INPUTS at a time,
with the one real encode at the end: the cost per range stays the same however many."""


def run_accurate(
    cut: CutPlan,
    output: Path,
    *,
    settings: EncodeSettings | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """Make the clip of an accurate plan (every piece re-encoded) at `output`, atomically."""
    plan = cut.frame_plan
    if not plan.pieces:
        raise ClipperError(_("nothing to cut: the plan has no pieces"))
    settings = (settings or EncodeSettings()).for_source(plan.source)
    what = _("cutting {name}").format(name=plan.source.name)
    with atomic_path(output) as tmp, tempfile.TemporaryDirectory(prefix="clipper-") as scratch:
        work = Path(scratch)
        if len(plan.pieces) <= BATCH_PIECES:
            args = graphs_from_files(build_cut_args(plan, tmp, settings), work)
            run_ffmpeg(args, progress=progress, what=what)
            return
        parts: list[Path] = []
        done = Fraction(0)
        for first in range(0, len(plan.pieces), BATCH_PIECES):
            batch = replace(plan, pieces=plan.pieces[first : first + BATCH_PIECES])
            part = work / f"part-{len(parts):05d}.mov"
            args = build_cut_args(batch, part, settings, lossless=True)
            run_ffmpeg(graphs_from_files(args, work), progress=_half(progress, done), what=what)
            parts.append(part)
            done += batch.duration
        while len(parts) > MAX_INPUTS:
            joined: list[Path] = []
            for first in range(0, len(parts), MAX_INPUTS):
                part = work / f"join-{len(joined):05d}-{parts[first].name}"
                group = parts[first : first + MAX_INPUTS]
                args = build_join_args(group, plan.has_audio, part, settings, lossless=True)
                run_ffmpeg(graphs_from_files(args, work), what=what)
                for used in group:
                    used.unlink()
                joined.append(part)
            parts = joined
        args = build_join_args(parts, plan.has_audio, tmp, settings)
        run_ffmpeg(
            graphs_from_files(args, work), progress=_half(progress, plan.duration), what=what
        )


def _half(progress: ProgressCallback | None, offset: Fraction) -> ProgressCallback | None:
    """Progress of one of two passes over the clip (batches, then the join), as one bar."""
    if progress is None:
        return None
    start = fraction_to_ms(offset)
    return lambda ms: progress((start + ms) // 2)
