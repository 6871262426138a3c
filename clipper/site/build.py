"""Publishing: read the archive, make the media, build the page model, render, swap in.

Phases, in order: events from `recordings/` -> per event a web copy of the recording, its
captions, each summary clip with retimed captions, posters -> page model -> HTML. All of it
is written into a fresh folder beside the target, which replaces the old site only when
complete, so a failed publish leaves the previous site as it was. Media come from the
cache when their inputs are unchanged (clipper/cache.py); the project lock keeps two
publishes from interleaving (clipper/lock.py); the swap is in clipper/site/swap.py.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from markdown_it import MarkdownIt

from clipper.archive.event import FULL_RECORDING, ClipSpec, Event, load_events
from clipper.cutting.clip import plan_mode
from clipper.errors import ClipperError
from clipper.files.guard import check_site_target, write_marker
from clipper.files.lock import project_lock
from clipper.media.probe import MediaInfo
from clipper.progress import Reporter, SilentReporter
from clipper.ranges.grammar import Range
from clipper.ranges.selection import EVENT_TRANSCRIPT_HINT, resolve_for_media
from clipper.settings import Settings, load_settings
from clipper.site.cache import CACHE_DIR, MediaCache
from clipper.site.captions import (
    chapters_track,
    embed_tracks,
    recording_chapters,
    transcript_cues,
    with_speaker_names,
)
from clipper.site.derived import DerivedMedia
from clipper.site.model import Chapter, Download, EventPage, Video
from clipper.site.originals import check_events, damage_note
from clipper.site.render import render_site
from clipper.site.search import build_search_index
from clipper.site.swap import recover, staging_for, swap_in
from clipper.site.texts import event_warnings, summary_text
from clipper.subtitles import read_subtitles
from clipper.subtitles.model import Cue
from clipper.subtitles.problems import Warn
from clipper.subtitles.vtt import Track, write_vtt
from clipper.testhook import pause_point
from clipper.timecode import ms_to_fraction

FULL_NAME = FULL_RECORDING


@dataclass(frozen=True)
class PublishResult:
    out_dir: Path
    pages: list[EventPage]
    warnings: list[str] = field(default_factory=list)  # published anyway; staff should fix
    made: int = 0  # media files made by this run (0: nothing changed, no media work)
    reused: int = 0  # media files taken from the cache
    recovered: list[str] = field(default_factory=list)  # leftovers of killed runs cleaned up


def markdown_to_html(text: str) -> str:
    """CommonMark with raw HTML disabled: staff text cannot inject markup or scripts."""
    return str(MarkdownIt("commonmark", {"html": False}).render(text))


def publish(
    project_dir: Path,
    out_dir: Path | None = None,
    *,
    reporter: Reporter | None = None,
    theme_dir: Path | None = None,
    portable: bool = False,
    settings: Settings | None = None,
    lock_wait: float = 10.0,
    lenient: bool = False,
    parents: bool = False,
    allow_damaged: bool = False,
) -> PublishResult:
    """Build the site for every event in `project_dir/recordings` into `out_dir` (atomically).

    `portable` embeds the caption and chapter tracks in the pages as `data:` URLs, so the
    site also shows captions when opened from disk (file://), at the cost of larger pages.
    Missing texts and settings do not stop publishing; they come back as `warnings`.
    A transcript with a broken cue stops it (naming the line) unless `lenient`: then the
    other cues are published and each skipped one is a warning.
    `out_dir` must be new, empty or a site of this project (clipper/guard.py); its parent
    folders are made only with `parents`.
    An original that no longer matches its recorded checksum stops it, and so does a
    recording whose video is damaged, unless `allow_damaged`: then it is published with
    a warning and a note on its page saying where it is damaged.
    """
    reporter = reporter or SilentReporter()
    project_dir = Path(project_dir)
    settings = settings or load_settings(project_dir)
    out_dir = Path(out_dir) if out_dir else project_dir / "site"
    events = load_events(project_dir)
    if not events:
        raise ClipperError(
            "no events to publish",
            path=project_dir / "recordings",
            hint="add a folder with an event.toml, or run `clipper demo`",
        )
    check_site_target(project_dir, out_dir, parents=parents)
    if theme_dir is None and (project_dir / "theme").is_dir():
        theme_dir = project_dir / "theme"
    cache = MediaCache(project_dir / CACHE_DIR)
    warnings = settings.missing_legal_info()
    with project_lock(
        project_dir,
        "clipper publish",
        wait=lock_wait,
        on_wait=lambda other: reporter.step(f"Es wird auf einen anderen Lauf gewartet: {other}"),
    ):
        damage = check_events(events, cache, reporter, project_dir, allow_damaged=allow_damaged)
        recovered = recover(out_dir)
        cache.remove_leftovers()
        media = DerivedMedia(cache)
        staging = staging_for(out_dir)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            write_marker(staging, project_dir)  # first, so a killed run's folder is known
            pages = []
            for event in events:
                warnings += event_warnings(event)
                report = damage[event.slug]
                if report.damaged:
                    warnings.append(f"{event.recording}: {report.summary()}; published anyway")
                page = _build_event(
                    event, staging, reporter, media, lenient=lenient, warn=warnings.append
                )
                if report.damaged:
                    page = replace(page, damage_note=damage_note(report))
                pages.append(embed_tracks(page, staging) if portable else page)
            pause_point("media-done")
            reporter.step("Seiten werden geschrieben")
            render_site(pages, staging, theme_dir=theme_dir, settings=settings)
            build_search_index(staging, project_dir / CACHE_DIR, reporter)
            pause_point("rendered")
            swap_in(staging, out_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        cache.prune()
    return PublishResult(
        out_dir=out_dir,
        pages=pages,
        made=cache.made,
        reused=cache.reused,
        recovered=recovered,
        warnings=warnings,
    )


def _clip_ranges(
    clip: ClipSpec, transcript: Track | None, info: MediaInfo, *, warn: Warn | None
) -> list[Range]:
    """The clip's ranges, cue selections and frame timecodes resolved for this recording;
    what the ranges file asks staff to check comes back as a warning."""
    for spec in clip.specs:
        if spec.note and warn is not None:
            where = f"{clip.ranges_source}, line {spec.line}" if spec.line else clip.ranges_source
            warn(f"{where}: {spec.note}")
    return resolve_for_media(
        clip.specs,
        info,
        source=clip.ranges_source,
        cues=transcript.cues if transcript is not None else None,
        transcript_hint=EVENT_TRANSCRIPT_HINT,
    ).ranges


class _Step:
    """One media step's progress line: "wird geschnitten" only when the work really runs,
    "unverändert" when the cache already had the result."""

    def __init__(self, reporter: Reporter, *, doing: str, unchanged: str) -> None:
        self.reporter, self.doing, self.unchanged = reporter, doing, unchanged
        self.ran = False

    def made(self) -> None:
        self.ran = True
        self.reporter.step(self.doing)

    def done(self) -> None:
        if not self.ran:
            self.reporter.step(self.unchanged)


def _build_event(
    event: Event,
    site_dir: Path,
    reporter: Reporter,
    media: DerivedMedia,
    *,
    lenient: bool = False,
    warn: Warn | None = None,
) -> EventPage:
    href_dir = Path("events") / event.slug
    event_dir = site_dir / href_dir
    event_dir.mkdir(parents=True, exist_ok=True)
    reporter.step(f"{event.title}: Aufzeichnung wird geprüft")
    info = media.probe(event.recording)
    info.require_video()
    transcript = (
        read_subtitles(event.transcript, lenient=lenient, warn=warn) if event.transcript else None
    )

    videos: list[Video] = []
    for clip in event.clips:
        ranges = _clip_ranges(clip, transcript, info, warn=warn)
        planned = plan_mode(event.recording, ranges, ranges_source=clip.ranges_source)
        cutting = _Step(
            reporter,
            doing=f"{event.title}: Ausschnitt „{clip.title}“ wird geschnitten",
            unchanged=f"{event.title}: Ausschnitt „{clip.title}“ unverändert",
        )
        result = media.clip(
            planned,
            event_dir / f"{clip.slug}.mp4",
            transcript=transcript,
            transcript_file=event.transcript,
            progress=reporter.media(clip.title, planned.cut.duration_ms),
            on_make=cutting.made,
        )
        cutting.done()
        chapters = [
            Chapter(
                title=piece.range.label or f"Teil {number}",
                start_ms=piece.clip_start_ms,
                end_ms=piece.clip_end_ms,
                source_start_ms=piece.start_ms,
            )
            for number, piece in enumerate(result.plan.pieces, start=1)
        ]
        if result.subtitles is not None and transcript is not None:
            named = Track(
                cues=with_speaker_names(result.cues),
                styles=transcript.styles,
                regions=transcript.regions,  # cue settings may name them
            )
            write_vtt(named, result.subtitles)
        chapters_file = event_dir / f"{clip.slug}.kapitel.vtt"
        write_vtt(chapters_track(chapters), chapters_file)
        first_cue = ms_to_fraction(result.cues[0].start_ms) if result.cues else None
        videos.append(
            _video(
                kind="clip",
                title=clip.title,
                video=result.video,
                captions=result.subtitles,
                duration=result.plan.duration,
                cues=result.cues,
                chapters=chapters,
                poster_prefer=first_cue,
                anchor=f"clip-{clip.slug}",
                chapters_file=chapters_file,
                event_title=event.title,
                media=media,
            )
        )

    full_chapters = recording_chapters(c for v in videos for c in v.chapters)
    full_chapters_file = None
    if full_chapters:
        full_chapters_file = event_dir / f"{FULL_NAME}.kapitel.vtt"
        write_vtt(chapters_track(full_chapters), full_chapters_file)
    full_video = event_dir / f"{FULL_NAME}.mp4"
    copying = _Step(
        reporter,
        doing=f"{event.title}: Gesamtaufzeichnung wird für das Web vorbereitet",
        unchanged=f"{event.title}: Gesamtaufzeichnung unverändert",
    )
    media.web_copy(
        info,
        full_video,
        progress=reporter.media("Gesamtaufzeichnung", info.duration_ms),
        on_make=copying.made,
    )
    copying.done()
    full_captions = None
    # in time order, as a player shows them (a transcript may list a cue late)
    full_cues = sorted(transcript.cues, key=lambda c: c.start_ms) if transcript else []
    if transcript is not None and event.transcript is not None:
        full_captions = media.captions(transcript, event.transcript, event_dir / f"{FULL_NAME}.vtt")
        # speaker names for the player (a new file: the cache's hard link is not written to)
        named = Track(
            cues=with_speaker_names(full_cues),
            styles=transcript.styles,
            notes=transcript.notes,
            regions=transcript.regions,
        )
        write_vtt(named, full_captions)
    videos.append(
        _video(
            kind="full",
            title="Gesamtaufzeichnung",
            video=full_video,
            captions=full_captions,
            duration=info.duration,
            cues=full_cues,
            chapters=full_chapters,
            poster_prefer=None,
            anchor="gesamtaufzeichnung",
            chapters_file=full_chapters_file,
            event_title=event.title,
            media=media,
        )
    )
    description_html = markdown_to_html(event.description)
    return EventPage(
        slug=event.slug,
        title=event.title,
        date=event.date,
        language=event.language,
        description_html=description_html,
        credits_html=markdown_to_html(event.credits) if event.credits else None,
        videos=videos,
        href=f"events/{event.slug}/index.html",
        summary=summary_text(description_html) or event.title,
        plain_language_html=markdown_to_html(event.plain_language)
        if event.plain_language
        else None,
        visual_description_html=markdown_to_html(event.visual_description)
        if event.visual_description
        else None,
    )


def _video(
    *,
    kind: str,
    title: str,
    video: Path,
    captions: Path | None,
    duration: Fraction,
    cues: list[Cue],
    chapters: list[Chapter],
    poster_prefer: Fraction | None,
    anchor: str,
    event_title: str,
    chapters_file: Path | None = None,
    media: DerivedMedia,
) -> Video:
    poster = media.poster(video, video.with_suffix(".jpg"), duration, prefer=poster_prefer)
    downloads = [Download("Video (MP4)", video.name, video.stat().st_size)]
    if captions is not None:
        downloads.append(Download("Untertitel (WebVTT)", captions.name, captions.stat().st_size))
    what = "der Gesamtaufzeichnung" if kind == "full" else f"dem Ausschnitt „{title}“"
    return Video(
        kind=kind,
        title=title,
        video_href=video.name,
        captions_href=captions.name if captions else None,
        poster_href=poster.name,
        duration_ms=int(duration * 1000),
        cues=transcript_cues(cues),  # rolling (YouTube) lines listed once
        chapters=chapters,
        downloads=downloads,
        anchor=anchor,
        chapters_href=chapters_file.name if chapters_file else None,
        poster_alt=f"Standbild aus {what}: {event_title}",
    )
