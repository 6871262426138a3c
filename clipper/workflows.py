"""The library calls behind the commands: cut a clip, publish the site, ingest a recording.

Each is one function a script can call (`clipper.cut`, `clipper.publish`, `clipper.ingest`);
the CLI only parses options, calls them and prints. A cut is planned first (`plan_cut`:
checks, ranges, plan, damage, all before anything is written) and then run (`run_cut`),
so a caller can show the plan, or stop at a dry run, in between.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from clipper.archive.eventfile import RECORDINGS
from clipper.archive.ingest import IngestResult
from clipper.archive.ingest import ingest as archive_ingest
from clipper.archive.project import find_project
from clipper.archive.protect import check_clip_output
from clipper.cutting.clip import ClipResult, check_output, make_clip, plan_mode
from clipper.cutting.cut_plan import CutPlan
from clipper.cutting.execute import EncodeSettings
from clipper.cutting.modes import CutMode
from clipper.i18n import _
from clipper.media.damage import DamageReport, check_decodable
from clipper.media.ffmpeg import ProgressCallback
from clipper.media.index_cache import IndexStore
from clipper.media.probe import probe
from clipper.media.verdicts import cut_verdict, scan_whole, user_cache
from clipper.progress import Reporter, SilentReporter
from clipper.ranges.read import specs_from
from clipper.ranges.selection import Selection, resolve_for_recording
from clipper.settings import load_settings
from clipper.site.build import PublishResult, publish
from clipper.site.cache import CACHE_DIR, MediaCache, cache_key
from clipper.subtitles import read_subtitles
from clipper.subtitles.problems import Warn
from clipper.subtitles.vtt import Track

__all__ = [
    "ClipResult",
    "CutJob",
    "IngestResult",
    "PublishResult",
    "choose_ranges",
    "cut",
    "ingest",
    "plan_cut",
    "publish",
    "run_cut",
]


@dataclass(frozen=True)
class CutJob:
    """A cut that passed every check and is planned, but has written nothing yet."""

    source: Path
    output: Path
    ranges_source: Path | str  # the ranges file, or "--range" for ranges given as options
    selection: Selection
    transcript: Track | None
    plan: CutPlan
    damage: DamageReport

    @property
    def notes(self) -> list[str]:
        """What the ranges and the plan ask the user to know (clamped padding, fallbacks)."""
        return [*map(str, self.selection.notes), *self.plan.notes]


def choose_ranges(
    source: Path,
    *,
    ranges: Path | None = None,
    range_texts: Sequence[str] = (),
    transcript: Path | None = None,
    lenient: bool = False,
    warn: Warn | None = None,
) -> tuple[Path | str, Selection, Track | None]:
    """The clip's ranges from a ranges file or range texts, resolved against the transcript
    (cue selections) and the recording (frame rate, length)."""
    specs, ranges_source = specs_from(ranges, list(range_texts))
    track = read_subtitles(transcript, lenient=lenient, warn=warn) if transcript else None
    cues = track.cues if track else None
    selection = resolve_for_recording(
        specs, source=ranges_source, cues=cues, recording=source, transcript_name=_word(transcript)
    )
    return ranges_source, selection, track


def _word(path: Path | None) -> str:
    """A path as one word of a command to paste (double quotes: sh, cmd and PowerShell)."""
    text = str(path) if path is not None else "FILE"
    return f'"{text}"' if " " in text else text


def plan_cut(
    source: Path,
    output: Path,
    *,
    ranges: Path | None = None,
    range_texts: Sequence[str] = (),
    transcript: Path | None = None,
    mode: CutMode = CutMode.auto,
    lenient: bool = False,
    warn: Warn | None = None,
    parents: bool = False,
    allow_damaged: bool = False,
) -> CutJob:
    """Check the outputs, read the ranges, plan the cut and check the spans it uses for
    damage; raise ClipperError for anything wrong, before a single byte is written."""
    source, output = Path(source), Path(output)
    check_output(source, output)
    check_clip_output(output, source=source, ranges=ranges, subtitles=transcript, parents=parents)
    ranges_source, selection, track = choose_ranges(
        source,
        ranges=ranges,
        range_texts=range_texts,
        transcript=transcript,
        lenient=lenient,
        warn=warn,
    )
    index = index_store(source)
    plan = plan_mode(source, selection.ranges, mode=mode, ranges_source=ranges_source, index=index)
    # Only the spans the clip uses are checked (the cost grows with the clip, not the
    # source), not decoded at all when the whole file was decoded before (probe, ingest,
    # publish), else decoding what is re-encoded and the copied GOPs' IDRs
    encoded = [(s.start, s.end) for s in plan.segments if s.kind == "encode"]
    copied = [(s.start, s.end) for s in plan.segments if s.kind == "copy"]
    verdict = cut_verdict(source, encoded, copied, index.packets(), plan.frame_duration)
    damage = check_decodable(verdict, allow_damaged=allow_damaged)
    index.save()  # only a cut that goes ahead leaves its packet index
    return CutJob(source, output, ranges_source, selection, track, plan, damage)


def index_store(source: Path) -> IndexStore:
    """Where the packet index of `source` is remembered: the cache of the project whose
    archive holds it (`.clipper-cache/index/`), else the user's cache folder."""
    resolved = Path(source).resolve()
    for folder in resolved.parents:
        if (folder / RECORDINGS).is_dir() and resolved.is_relative_to(folder / RECORDINGS):
            return IndexStore.open(source, folder / CACHE_DIR / "index")
    return IndexStore.open(source, user_cache() / "index")


def cut_settings(*, crf: int | None = None, preset: str | None = None) -> EncodeSettings:
    """How `clipper cut` encodes: like publish, by the `[encoding]` table of the project
    around the current folder (defaults outside one), then the command line's choices."""
    encoding = load_settings(find_project()).encoding
    if crf is not None:
        encoding = replace(encoding, crf=crf)
    if preset is not None:
        encoding = replace(encoding, preset=preset, parts_preset=preset)
    return encoding


def run_cut(
    job: CutJob,
    *,
    settings: EncodeSettings | None = None,
    progress: ProgressCallback | None = None,
) -> ClipResult:
    """Make the clip (and its subtitles) a planned job describes."""
    return make_clip(
        job.source,
        job.selection.ranges,
        job.output,
        transcript=job.transcript,
        ranges_source=job.ranges_source,
        settings=settings,
        progress=progress,
        planned=job.plan,
    )


def cut(
    source: Path,
    output: Path,
    *,
    ranges: Path | None = None,
    range_texts: Sequence[str] = (),
    transcript: Path | None = None,
    mode: CutMode = CutMode.auto,
    settings: EncodeSettings | None = None,
    progress: ProgressCallback | None = None,
    lenient: bool = False,
    parents: bool = False,
    allow_damaged: bool = False,
) -> ClipResult:
    """Cut the ranges of `source` into the clip `output` (with `output`.vtt when a
    transcript is given): `clipper cut` as one call."""
    job = plan_cut(
        source,
        output,
        ranges=ranges,
        range_texts=range_texts,
        transcript=transcript,
        mode=mode,
        lenient=lenient,
        parents=parents,
        allow_damaged=allow_damaged,
    )
    return run_cut(job, settings=settings, progress=progress)


def ingest(
    recording: Path,
    project_dir: Path,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    slug: str | None = None,
    transcript: Path | None = None,
    speakers: Sequence[str] = (),
    link: bool = False,
    reporter: Reporter | None = None,
) -> IngestResult:
    """Archive `recording` (clipper/archive/ingest.py), then decode the archived copy whole
    once: a damaged recording is archived all the same (it is what there is), and the
    verdict is kept where publish looks for it (the project's media cache, by SHA-256) and
    where a cut does (media/verdicts.py), so neither decodes the recording again."""
    reporter = reporter or SilentReporter()
    result = archive_ingest(
        recording,
        project_dir,
        title=title,
        date=date,
        slug=slug,
        transcript=transcript,
        speakers=speakers,
        link=link,
        reporter=reporter,
    )
    if not result.created:
        return result
    archived = result.folder / Path(recording).name
    name = title if title is not None else Path(recording).stem
    reporter.step(_("{title}: checking the whole recording").format(title=name))
    total_ms = probe(archived, scan_keyframes=False).duration_ms
    report = scan_whole(archived, progress=reporter.media(archived.name, total_ms))
    try:  # the same fact publish stores after its own check (site/originals.py)
        key = cache_key("damage", source=result.sha256)
        MediaCache(Path(project_dir) / CACHE_DIR).store_facts(key, report.to_json())
    except OSError:
        pass  # costs only time: publish decodes it then
    return replace(result, damage=report)
