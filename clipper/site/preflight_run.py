"""The preflight's effects: read what its rules need (settings, transcripts, recording
lengths) and run them (the rules: clipper/site/preflight.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from clipper.archive.event import Event, load_events
from clipper.errors import ClipperError
from clipper.i18n import _, ngettext
from clipper.media.probe import probe
from clipper.settings import SETTINGS_FILE, Settings, load_settings
from clipper.site.preflight import EventFacts, Preflight, preflight
from clipper.subtitles import read_subtitles


class PreflightError(ClipperError):
    """The project is not ready to publish; `report.problems` says what to fix."""

    def __init__(self, report: Preflight) -> None:
        count = len(report.problems)
        super().__init__(
            ngettext(
                "not ready to publish: {count} thing to fix (listed above)",
                "not ready to publish: {count} things to fix (listed above)",
                count,
            ).format(count=count),
            hint=_("fix them and publish again, or look at it first: clipper publish --draft"),
        )
        self.report = report


def event_facts(event: Event) -> EventFacts:
    """What the rules need of one event: its length, its cues, its clips."""
    spans: list[tuple[int, int]] = []
    if event.transcript is not None:
        # lenient: a broken cue is reported by publish itself, naming its line
        track = read_subtitles(event.transcript, lenient=True, warn=lambda _line: None)
        spans = [(cue.start_ms, cue.end_ms) for cue in track.cues]
    return EventFacts(
        slug=event.slug,
        event_file=event.event_file,
        recording_ms=probe(event.recording, scan_keyframes=False).duration_ms,
        date_confirmed=event.date_confirmed,
        transcript=event.transcript,
        cue_spans=spans,
        clips_without_ranges=[clip.title for clip in event.clips if not clip.specs],
    )


def run_preflight(project_dir: Path, events: Sequence[Event], settings: Settings) -> Preflight:
    where = settings.source or Path(project_dir) / SETTINGS_FILE
    return preflight(settings, where, [event_facts(e) for e in events])


def check_project(project_dir: Path) -> Preflight:
    """`clipper check`: the preflight alone, on the project as it is now."""
    project_dir = Path(project_dir)
    return run_preflight(project_dir, load_events(project_dir), load_settings(project_dir))
