"""Making a clip end to end: probe, plan, cut, and carry the subtitles over.

This is the library function behind `clipper cut` and behind publishing an event's clips.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from clipper.cutting.cut_plan import CutPlan, accurate_plan
from clipper.cutting.execute import EncodeSettings, run_accurate
from clipper.cutting.modes import CutMode
from clipper.cutting.plan import FramePlan, plan_frames
from clipper.cutting.smart import plan_smart, snap_to_keyframes
from clipper.cutting.smart_execute import SmartCutError, run_smart
from clipper.errors import ClipperError
from clipper.i18n import _
from clipper.media.ffmpeg import ProgressCallback
from clipper.media.index_cache import IndexStore
from clipper.media.keyframes import PacketIndex, frame_window, scan_windows
from clipper.media.probe import probe
from clipper.ranges.checks import fit_to_duration
from clipper.ranges.grammar import Range
from clipper.subtitles.model import Cue
from clipper.subtitles.retime import Span, retime_cues
from clipper.subtitles.vtt import Track, write_vtt
from clipper.timecode import ms_to_fraction


@dataclass(frozen=True)
class ClipResult:
    """A clip that was made; `plan` is how it was really cut (after any fallback)."""

    plan: CutPlan
    video: Path
    subtitles: Path | None
    cues: list[Cue]


def check_output(source: Path, output: Path) -> None:
    """Refuse outputs that are not MP4 or that would replace the recording itself."""
    if output.suffix.lower() != ".mp4":
        raise ClipperError(_("the clip must be an .mp4 file"), path=output, hint=_("name it *.mp4"))
    if output.exists() and source.exists() and output.resolve() == source.resolve():
        raise ClipperError(
            _("the output would overwrite the recording"),
            path=output,
            hint=_("choose another name"),
        )
    if output.is_dir():
        raise ClipperError(_("is a folder"), path=output, hint=_("give a file name ending in .mp4"))


def plan_clip(
    source: Path,
    ranges: list[Range],
    *,
    ranges_source: Path | str = "<ranges>",
    index: IndexStore | None = None,
) -> FramePlan:
    """Probe the source and plan a frame-exact cut (reads only the packets around each range)."""
    return _plan_frames(source, ranges, ranges_source, index)[0]


def _plan_frames(
    source: Path, ranges: list[Range], ranges_source: Path | str, index: IndexStore | None = None
) -> tuple[FramePlan, list[PacketIndex]]:
    """The frame-exact plan, and the packet scans it came from (smart cutting needs them);
    `index` remembers the scans for the next cut of the same recording."""
    info = probe(source, scan_keyframes=False)
    info.require_video()
    fitted, notes = fit_to_duration(ranges, info.duration_ms, source=ranges_source)
    windows = [(ms_to_fraction(r.start_ms), ms_to_fraction(r.end_ms)) for r in fitted]
    scan = index.scan_all if index is not None else scan_windows
    indexes = scan(source, windows)
    plan = plan_frames(
        source,
        fitted,
        [frame_window(index) for index in indexes],
        has_audio=info.audio is not None,
        notes=[str(note) for note in notes],
        ranges_source=ranges_source,
    )
    return plan, indexes


def plan_mode(
    source: Path,
    ranges: list[Range],
    *,
    mode: CutMode = CutMode.auto,
    ranges_source: Path | str = "<ranges>",
    index: IndexStore | None = None,
) -> CutPlan:
    """Plan a cut in `mode`: which frames are copied and which re-encoded, and why.

    auto and smart copy whole GOPs where that is exact and fall back to accurate (the
    whole clip re-encoded) where it is not; keyframe copies everything, snapped to IDRs.
    """
    if mode not in set(CutMode):
        choices = ", ".join(CutMode)
        raise ClipperError(
            _("unknown cut mode {mode!r}").format(mode=mode),
            hint=_("use {choices}").format(choices=choices),
        )
    mode = CutMode(mode)
    if mode == CutMode.accurate:
        return accurate_plan(plan_clip(source, ranges, ranges_source=ranges_source, index=index))
    cut, indexes = _plan_frames(source, ranges, ranges_source, index)
    if mode == CutMode.keyframe:
        return snap_to_keyframes(cut, indexes)
    return plan_smart(cut, indexes, requested=mode)


def clip_spans(plan: CutPlan) -> list[Span]:
    """Where each piece's source time lands in the clip (for retiming subtitles)."""
    return [Span(p.start, p.end, p.clip_start) for p in plan.frame_plan.pieces]


def run_plan(
    plan: CutPlan,
    output: Path,
    *,
    settings: EncodeSettings | None = None,
    progress: ProgressCallback | None = None,
) -> CutPlan:
    """Make the clip of `plan` at `output`; returns the plan that really ran.

    If a smart cut fails a check while running, the clip is re-encoded whole (accurate)
    and the returned plan's notes say so; a keyframe cut has no such fallback.
    """
    if plan.mode == CutMode.accurate:
        run_accurate(plan, output, settings=settings, progress=progress)
        return plan
    try:
        run_smart(plan, output, settings=settings, progress=progress)
    except SmartCutError as exc:
        if plan.mode == CutMode.keyframe:
            raise
        note = _("smart cut failed a check ({message}): re-encoded").format(message=exc.message)
        fallback = replace(accurate_plan(plan.frame_plan), notes=[*plan.notes, note])
        run_accurate(fallback, output, settings=settings, progress=progress)
        return fallback
    return plan


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
    mode: CutMode = CutMode.auto,
) -> ClipResult:
    """Cut `ranges` of `source` into `output` (MP4); with a transcript, also `output`.vtt.

    Pass `planned` when the plan was already made (e.g. to show it first); else it is
    planned in `mode`.
    """
    source, output = Path(source), Path(output)
    check_output(source, output)
    if planned is None:
        planned = plan_mode(source, ranges, mode=mode, ranges_source=ranges_source)
    cues = retime_cues(transcript.cues, clip_spans(planned)) if transcript else []
    plan = run_plan(planned, output, settings=settings, progress=progress)
    vtt_path: Path | None = None
    if transcript is not None:
        vtt_path = output.with_suffix(".vtt")
        try:
            write_vtt(Track(cues=cues, styles=transcript.styles), vtt_path)
        except BaseException:
            output.unlink(missing_ok=True)  # no clip without the subtitles that were asked for
            raise
    return ClipResult(plan=plan, video=output, subtitles=vtt_path, cues=cues)
