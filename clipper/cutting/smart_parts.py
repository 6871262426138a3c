"""The re-encoded parts of a smart cut, made by several ffmpeg runs at once.

A smart cut's encoded frames are split into chunks (each encode segment, or a part of a
long one: the encoder may start an IDR at any frame), and the chunks are shared out to
about as many ffmpeg runs as the computer has cores, each encoding its chunks back to back
with an IDR forced at every chunk's first frame. The clip's audio is one more run beside
them. Which chunk goes where is planned purely (`plan_jobs`); `encode_parts` runs it.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from clipper.cutting.cut_plan import CutPlan, Segment
from clipper.cutting.execute import (
    MAX_INPUTS,
    SEEK_MARGIN,
    EncodeSettings,
    _seconds,
    piece_audio,
    piece_inputs,
)
from clipper.cutting.smart import MATCHABLE_PROFILES
from clipper.media.ffmpeg import (
    ProgressCallback,
    ffmpeg_exe,
    graphs_from_files,
    media_url,
    run_ffmpeg,
)
from clipper.media.keyframes import VideoParams

UNSPECIFIED_COLOR = 2
MIN_CHUNK = 50
"""Frames a chunk has at least when a segment is split for parallel encoding: each chunk
decodes again from the GOP's keyframe and starts with a costly IDR."""


@dataclass(frozen=True)
class Chunk:
    """`frames` frames of encode segment number `segment`, from its frame `offset` on."""

    segment: int
    offset: int
    frames: int


@dataclass(frozen=True)
class Job:
    """One ffmpeg run: its chunks, encoded back to back into `path`."""

    chunks: tuple[Chunk, ...]
    path: Path

    @property
    def frames(self) -> int:
        return sum(c.frames for c in self.chunks)


def workers() -> int:
    """How many encoder runs go at once: one per core."""
    return max(1, os.cpu_count() or 1)


def plan_jobs(segments: list[Segment], count: int, work: Path) -> list[Job]:
    """Share the encode segments' frames out to about `count` runs of similar size.

    A run is cut wherever its share is full, also inside a segment (but no chunk is made
    shorter than MIN_CHUNK frames); no run gets more than MAX_INPUTS chunks.
    """
    total = sum(s.frames for s in segments)
    if total == 0:
        return []
    share = max(MIN_CHUNK, math.ceil(total / max(1, count)))
    jobs: list[list[Chunk]] = [[]]
    filled = 0
    for number, seg in enumerate(segments):
        offset = 0
        while offset < seg.frames:
            left = seg.frames - offset
            take = min(left, share - filled)
            if left - take < MIN_CHUNK:
                take = left  # no tiny remainder: it would cost an IDR and a decode
            elif take < MIN_CHUNK:
                jobs.append([])  # too little room left in this run: start the next
                filled = 0
                continue
            jobs[-1].append(Chunk(number, offset, take))
            offset += take
            filled += take
            if filled >= share or len(jobs[-1]) >= MAX_INPUTS:
                jobs.append([])
                filled = 0
    return [
        Job(tuple(chunks), work / f"part-{n:03d}.mp4")
        for n, chunks in enumerate(c for c in jobs if c)
    ]


def job_args(
    plan: CutPlan,
    segments: list[Segment],
    job: Job,
    params: VideoParams,
    settings: EncodeSettings,
    video_options: dict[str, Any],
) -> list[str]:
    """ffmpeg arguments encoding one run's chunks into `job.path`, an IDR at each chunk."""
    step = plan.frame_duration or Fraction(1, 25)
    videos = []
    for chunk in job.chunks:
        seg = segments[chunk.segment]
        start = seg.start + chunk.offset * step
        end = start + chunk.frames * step
        # Seek straight to the keyframe decoding must start from; trim keeps the frames.
        if seg.decode_from is not None:
            seek = Fraction(math.ceil(seg.decode_from * 1_000_000), 1_000_000)
        else:
            seek = Fraction(max(0, math.floor((start - SEEK_MARGIN) * 1_000_000)), 10**6)
        source = ffmpeg.input(
            media_url(plan.source),
            ss=_seconds(seek),
            t=_seconds(end - seek + SEEK_MARGIN),
            noaccurate_seek=None,
        )
        video = source.video.trim(
            start=_seconds(start - step / 2 - seek), end=_seconds(end - step / 2 - seek)
        ).setpts("PTS-STARTPTS")
        if params.sample_aspect_ratio:
            sar = params.sample_aspect_ratio
            video = video.filter("setsar", f"{sar.numerator}/{sar.denominator}")
        videos.append(video)
    joined = ffmpeg.concat(*videos, v=1, a=0) if len(videos) > 1 else videos[0]
    firsts, at = [], 0
    for chunk in job.chunks:
        firsts.append(at)
        at += chunk.frames
    avc = params.avc
    assert avc is not None
    options: dict[str, Any] = {
        "c:v": "libx264",
        "preset": settings.parts_preset,
        **video_options,
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
    stream = ffmpeg.output(joined, media_url(job.path), **options).overwrite_output()
    args: list[str] = ffmpeg.compile(stream, cmd=ffmpeg_exe())[1:]
    return args


def audio_args(plan: CutPlan, audio: Path, bitrate: str) -> list[str]:
    """ffmpeg arguments making the clip's audio (AAC, cut at frame boundaries, faded)."""
    cut = plan.frame_plan
    chains = [
        piece_audio(source, piece, seek)
        for piece, (source, seek) in zip(cut.pieces, piece_inputs(cut), strict=True)
    ]
    sound = ffmpeg.concat(*chains, v=0, a=1) if len(chains) > 1 else chains[0]
    out = ffmpeg.output(sound, media_url(audio), **{"c:a": "aac", "b:a": bitrate})
    args: list[str] = ffmpeg.compile(out.overwrite_output(), cmd=ffmpeg_exe())[1:]
    return args


def encode_parts(
    runs: list[tuple[list[str], int]],
    work: Path,
    *,
    what: str,
    progress: ProgressCallback | None = None,
    clip_ms: int = 0,
) -> None:
    """Run the ffmpeg argument lists at once (one per core); each comes with the ms of
    output it makes, so `progress` sees one bar over all of them, in clip ms."""
    total = sum(ms for _, ms in runs) or 1
    done = [0] * len(runs)
    lock = threading.Lock()

    def reporter(n: int) -> ProgressCallback | None:
        if progress is None:
            return None

        def seen(ms: int) -> None:
            with lock:
                done[n] = min(ms, runs[n][1])
                reached = sum(done) * clip_ms // total
            progress(reached)

        return seen

    def one(n: int) -> None:
        args = graphs_from_files(runs[n][0], work)
        run_ffmpeg(args, progress=reporter(n), what=what)

    if len(runs) == 1:
        one(0)
        return
    with ThreadPoolExecutor(max_workers=workers(), thread_name_prefix="clipper-part") as pool:
        results = [pool.submit(one, n) for n in range(len(runs))]
        for result in results:
            result.result()  # the first failure is raised, after all runs ended
