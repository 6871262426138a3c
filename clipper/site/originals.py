"""Before a publish makes anything: is each recording still the one that was ingested, and
is its video decodable?

The original is hashed afresh on every publish (a flipped bit keeps the file's size and
modification time, so the cache's remembered checksum would not notice). The damage scan
decodes the whole recording, so its verdict is kept in the media cache by the original's
SHA-256 and made once per version of the file. A refused publish writes nothing, not even
to the cache. Transcripts are not checked here: staff edit them (a typo, a name), which
`clipper verify` reports as information only.
"""

from __future__ import annotations

from pathlib import Path

from clipper.archive.event import Event
from clipper.errors import ClipperError
from clipper.i18n import _
from clipper.media.damage import ALLOW_HINT, DamageReport, clock, no_frame_error, scan_damage
from clipper.media.integrity import check_media_file
from clipper.media.verdicts import remember
from clipper.progress import Reporter
from clipper.site.cache import MediaCache, cache_key
from clipper.timecode import seconds_to_ms


def check_events(
    events: list[Event],
    cache: MediaCache,
    reporter: Reporter,
    project_dir: Path,
    *,
    allow_damaged: bool,
) -> dict[str, DamageReport]:
    """Each event's damage report (slug -> report), after refusing a changed original, a
    video without a decodable frame, and (unless `allow_damaged`) a damaged one."""
    shas = {event.slug: _checked_sha(event, cache, reporter, project_dir) for event in events}
    reports: dict[str, DamageReport] = {}
    new: dict[str, DamageReport] = {}
    for event in events:
        key = cache_key("damage", source=shas[event.slug])
        known = cache.known_facts(key)
        report = None
        if known is not None:
            try:
                report = DamageReport.from_json(event.recording, known)
            except (KeyError, TypeError, ValueError):
                report = None
        if report is None:
            reporter.step(_("{title}: checking the whole recording").format(title=event.title))
            total_ms = seconds_to_ms(event.original.duration or 0) if event.original else 0
            progress = reporter.media(event.title, total_ms)
            report = scan_damage(event.recording, progress=progress)
            new[key] = report
        if report.frames == 0:
            raise no_frame_error(event.recording)
        if report.damaged and not allow_damaged:
            raise ClipperError(
                _("{summary} (event {slug!r})").format(summary=report.summary(), slug=event.slug),
                path=event.recording,
                hint=_(ALLOW_HINT),
            )
        reports[event.slug] = report
    for key, report in new.items():  # only a publish that goes ahead keeps the verdicts
        cache.store_facts(key, report.to_json())
    for report in reports.values():  # and tells `clipper cut` of these files (media/verdicts)
        remember(report)
    return reports


def _checked_sha(event: Event, cache: MediaCache, reporter: Reporter, project_dir: Path) -> str:
    """The recording's SHA-256, read afresh; refused if it differs from the one recorded."""
    path = event.recording
    check_media_file(path)
    size = path.stat().st_size
    original = event.original
    if original is not None and size != original.size:
        raise _changed(event, project_dir)
    sha = cache.fresh_sha256(
        path, reporter.media(_("checksum of {name}").format(name=path.name), size)
    )
    if original is not None and sha != original.sha256:
        raise _changed(event, project_dir)
    return sha


def _changed(event: Event, project_dir: Path) -> ClipperError:
    project = str(project_dir)
    if not project.replace("/", "").replace("-", "").replace("_", "").replace(".", "").isalnum():
        project = f'"{project}"'
    return ClipperError(
        _(
            "the recording of event {slug!r} no longer matches the "
            "checksum recorded when it was ingested (it was changed or damaged since)"
        ).format(slug=event.slug),
        path=event.recording,
        hint=_("run clipper verify --project {project} and restore it from a backup").format(
            project=project
        ),
    )


def damage_note(report: DamageReport) -> str:
    """What the event page says about a recording published with --allow-damaged."""
    places = ", ".join(clock(d.at_ms) for d in report.damages[:5])
    more = " und an weiteren Stellen" if len(report.damages) > 5 else ""
    return (
        f"Hinweis: Die Aufzeichnung ist beschädigt (bei {places}{more}). "
        "Dort ist das Bild gestört oder fehlt."
    )
