"""Making a clip end to end: probe, plan, cut, and carry the subtitles over.

This is the library function behind `clipper cut` and behind publishing an event's clips.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clipper.cutting.execute import EncodeSettings, run_cut
from clipper.cutting.plan import CutPlan, plan_cut
from clipper.errors import ClipperError, MediaError
from clipper.media.ffmpeg import ProgressCallback
from clipper.media.probe import frame_times, probe
from clipper.ranges import Range, fit_to_duration
from clipper.subtitles.model import Cue
from clipper.subtitles.retime import Span, retime_cues
from clipper.subtitles.vtt import Track, write_vtt
from clipper.timecode import ms_to_fraction


@dataclass(frozen=True)
class ClipResult:
    plan: CutPlan
    video: Path
    subtitles: Path | None
    cues: list[Cue]


def check_output(source: Path, output: Path) -> None:
    """Refuse outputs that are not MP4 or that would replace the recording itself."""
    if output.suffix.lower() != ".mp4":
        raise ClipperError("the clip must be an .mp4 file", path=output, hint="name it *.mp4")
    if output.exists() and source.exists() and output.resolve() == source.resolve():
        raise ClipperError(
            "the output would overwrite the recording", path=output, hint="choose another name"
        )
    if output.is_dir():
        raise ClipperError("is a folder", path=output, hint="give a file name ending in .mp4")


def plan_clip(
    source: Path, ranges: list[Range], *, ranges_source: Path | str = "<ranges>"
) -> CutPlan:
    """Probe the source and plan the cut (reads only the packets around each range)."""
    info = probe(source, scan_keyframes=False)
    if info.video is None:
        raise MediaError("has no video stream; clipper cuts video recordings", path=source)
    fitted, notes = fit_to_duration(ranges, info.duration_ms, source=ranges_source)
    windows = [
        frame_times(source, ms_to_fraction(r.start_ms), ms_to_fraction(r.end_ms)) for r in fitted
    ]
    return plan_cut(
        source,
        fitted,
        windows,
        has_audio=info.audio is not None,
        notes=notes,
        ranges_source=ranges_source,
    )


def clip_spans(plan: CutPlan) -> list[Span]:
    return [Span(p.start, p.end, p.clip_start) for p in plan.pieces]


def make_clip(
    source: Path,
    ranges: list[Range],
    output: Path,
    *,
    transcript: Track | None = None,
    ranges_source: Path | str = "<ranges>",
    settings: EncodeSettings | None = None,
    progress: ProgressCallback | None = None,
    planned: CutPlan | None = None,
) -> ClipResult:
    """Cut `ranges` of `source` into `output` (MP4); with a transcript, also `output`.vtt.

    Pass `planned` when the plan was already made (e.g. to show it first).
    """
    source, output = Path(source), Path(output)
    check_output(source, output)
    plan = planned or plan_clip(source, ranges, ranges_source=ranges_source)
    cues = retime_cues(transcript.cues, clip_spans(plan)) if transcript else []
    run_cut(plan, output, settings=settings, progress=progress)
    vtt_path: Path | None = None
    if transcript is not None:
        vtt_path = output.with_suffix(".vtt")
        try:
            write_vtt(Track(cues=cues, styles=transcript.styles), vtt_path)
        except BaseException:
            output.unlink(missing_ok=True)  # no clip without the subtitles that were asked for
            raise
    return ClipResult(plan=plan, video=output, subtitles=vtt_path, cues=cues)
