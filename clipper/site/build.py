"""Publishing: read the catalogue, derive the media, build the page model, render, swap in.

Each phase is a function with its own module: the catalogue (clipper/site/collect.py), the
media of each event (clipper/site/media_phase.py), its page (clipper/site/pages.py), the
HTML (clipper/site/render.py) and the swap (clipper/site/swap.py). All of it is written into
a fresh folder beside the target, which replaces the old site only when complete, so a
failed publish leaves the previous site as it was. Media come from the cache when their
inputs are unchanged (clipper/site/cache.py); the project lock keeps two publishes from
interleaving (clipper/files/lock.py).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from clipper.files.guard import write_marker
from clipper.files.lock import project_lock
from clipper.i18n import _
from clipper.progress import Reporter, SilentReporter
from clipper.settings import Settings
from clipper.site.cache import CACHE_DIR, MediaCache
from clipper.site.collect import read_catalogue
from clipper.site.derived import DerivedMedia
from clipper.site.downloads import with_soft_subtitles
from clipper.site.embed_pages import write_embeds
from clipper.site.media_phase import derive_media
from clipper.site.model import EventPage
from clipper.site.originals import check_events
from clipper.site.pages import event_page, page_warnings
from clipper.site.pathlimit import EventNames, check_path_lengths, planned_paths
from clipper.site.preflight_run import PreflightError, run_preflight
from clipper.site.render import render_site
from clipper.site.reproducible import stable_statement_date
from clipper.site.search import build_search_index
from clipper.site.server_config import write_server_config
from clipper.site.swap import recover, staging_for, swap_in
from clipper.site.versions import versioned


@dataclass(frozen=True)
class PublishResult:
    out_dir: Path
    pages: list[EventPage]
    warnings: list[str] = field(default_factory=list)  # published anyway; staff should fix
    made: int = 0  # media files made by this run (0: nothing changed, no media work)
    reused: int = 0  # media files taken from the cache
    recovered: list[str] = field(default_factory=list)  # leftovers of killed runs cleaned up


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
    preflight: bool = False,
    draft: bool = False,
) -> PublishResult:
    """Build the site for every event in `project_dir/recordings` into `out_dir` (atomically).

    `portable` embeds the caption and chapter tracks in the pages as `data:` URLs, so the
    site also shows captions when opened from disk (file://), at the cost of larger pages.
    Missing texts and settings do not stop publishing; they come back as `warnings`.
    A transcript with a broken cue stops it (naming the line) unless `lenient`: then the
    other cues are published and each skipped one is a warning.
    `out_dir` must be new, empty or a site of this project (clipper/archive/protect.py); its parent
    folders are made only with `parents`.
    An original that no longer matches its recorded checksum stops it, and so does a
    recording whose video is damaged, unless `allow_damaged`: then it is published with
    a warning and a note on its page saying where it is damaged.
    `preflight` (as `clipper publish` does) refuses a project that is not ready to go
    public (clipper/site/preflight.py) unless `draft`: then every page is marked as a
    draft, not to be indexed, and the feed leaves out the events that failed.
    """
    reporter = reporter or SilentReporter()
    project_dir = Path(project_dir)
    catalogue = read_catalogue(
        project_dir, out_dir, settings=settings, theme_dir=theme_dir, parents=parents
    )
    out_dir, events = catalogue.out_dir, catalogue.events
    cache = MediaCache(project_dir / CACHE_DIR)
    warnings = catalogue.settings.missing_legal_info()
    # before anything is written, not even the cache: a refusal leaves the project as it was
    report = run_preflight(project_dir, events, catalogue.settings) if preflight else None
    if report is not None and not report.ok and not draft:
        raise PreflightError(report)
    if report is not None:  # the legal problems are in the report, in words to act on
        warnings = [str(p) for p in report.problems] + report.warnings
    events = [replace(e, clips=[c for c in e.clips if c.specs]) for e in events]
    names = [EventNames(e.slug, [c.slug for c in e.clips]) for e in events]
    check_path_lengths(planned_paths(staging_for(out_dir), names))
    with project_lock(
        project_dir,
        "clipper publish",
        wait=lock_wait,
        on_wait=lambda other: reporter.step(
            _("Waiting for another run: {other}").format(other=other)
        ),
    ):
        damage = check_events(events, cache, reporter, project_dir, allow_damaged=allow_damaged)
        recovered = recover(out_dir)
        cache.remove_leftovers()
        media = DerivedMedia(cache, catalogue.settings.encoding)
        staging = staging_for(out_dir)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            write_marker(staging, project_dir)  # first, so a killed run's folder is known
            derived = [derive_media(e, staging, reporter, media, lenient=lenient) for e in events]
            derived = [with_soft_subtitles(d, media) for d in derived]
            pages = [
                event_page(d, damage[d.event.slug], staging, portable=portable) for d in derived
            ]
            pages = [
                versioned(p, staging, media, d.event.recording)
                for p, d in zip(pages, derived, strict=True)
            ]
            warnings += [w for d in derived for w in page_warnings(d, damage[d.event.slug])]
            reporter.step(_("Writing the pages"))
            site_settings = stable_statement_date(catalogue.settings, cache.root)
            render_site(
                pages,
                staging,
                theme_dir=catalogue.theme_dir,
                settings=site_settings,
                draft=draft,
                feed_leaves_out=report.failed_events if report and draft else frozenset(),
            )
            write_embeds(
                pages, staging, settings=site_settings, theme_dir=catalogue.theme_dir, draft=draft
            )
            write_server_config(staging)
            build_search_index(staging, cache.root, reporter)
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
