"""What must be right before a page goes public: the preflight's rules, one function each.

Pure: every rule takes data already read (clipper/site/preflight_run.py reads it) and
returns the problems it finds, each with what to fix and how, in words staff understand.
`clipper publish` refuses when there is a problem (`--draft` publishes anyway, marked as
a draft); `clipper check` only lists them. Warnings (an event without captions) never stop
a publish: the accessibility statement lists such events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clipper.archive.keys import is_placeholder
from clipper.i18n import _
from clipper.settings import Settings
from clipper.timecode import format_clock


@dataclass(frozen=True)
class Problem:
    """One thing to fix: where (a file), what is wrong and how to fix it."""

    where: Path | str
    what: str
    fix: str
    slug: str | None = None  # the event it belongs to; None: the whole site

    def __str__(self) -> str:
        return _("{where}: {what}. {fix}").format(where=self.where, what=self.what, fix=self.fix)


@dataclass(frozen=True)
class EventFacts:
    """What the rules need to know about one event, read beforehand."""

    slug: str
    event_file: Path
    recording_ms: int
    date_confirmed: bool
    transcript: Path | None = None  # as the user should see it (relative to the project)
    cue_spans: Sequence[tuple[int, int]] = ()  # (start_ms, end_ms) of the transcript's cues
    clips_without_ranges: Sequence[str] = ()  # clip titles


@dataclass(frozen=True)
class Preflight:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def failed_events(self) -> frozenset[str]:
        """The events with a problem of their own (the draft's feed leaves them out)."""
        return frozenset(p.slug for p in self.problems if p.slug is not None)


def _time(ms: int) -> str:
    return format_clock(ms)


def transcript_beyond_recording(event: EventFacts) -> list[Problem]:
    """Cues after the recording's end: the transcript belongs to another recording."""
    if event.transcript is None or not event.cue_spans:
        return []
    last = max(end for _start, end in event.cue_spans)
    if last <= event.recording_ms + 1000:  # a second of slack: cue ends are often rounded up
        return []
    return [
        Problem(
            event.transcript,
            _("the captions run until {end}, but the recording is only {length} long").format(
                end=_time(last), length=_time(event.recording_ms)
            ),
            _(
                "Is it the transcript of another recording? Replace the file or name the right "
                "one in {file}."
            ).format(file=event.event_file),
            event.slug,
        )
    ]


def transcript_too_short(event: EventFacts) -> list[Problem]:
    """Cues covering under half the recording: most of it would have no captions."""
    if event.transcript is None or not event.cue_spans or event.recording_ms <= 0:
        return []
    first = min(start for start, _end in event.cue_spans)
    last = max(end for _start, end in event.cue_spans)
    if 2 * (last - first) >= event.recording_ms:
        return []
    return [
        Problem(
            event.transcript,
            _("the captions cover only {start} to {end} of a recording of {length}").format(
                start=_time(first), end=_time(last), length=_time(event.recording_ms)
            ),
            _(
                "Is it the transcript of another recording, or only part of it? Use the "
                "complete transcript."
            ),
            event.slug,
        )
    ]


def date_unconfirmed(event: EventFacts) -> list[Problem]:
    """A date clipper took from the file's time: it may be the day of the copy."""
    if event.date_confirmed:
        return []
    return [
        Problem(
            event.event_file,
            _("the date was taken from the file and not yet checked"),
            _("Check it and write it without quotes on the date line, e.g. date = 2026-05-17."),
            event.slug,
        )
    ]


def clips_without_ranges(event: EventFacts) -> list[Problem]:
    """A clip with nothing in it would be an empty video on the page."""
    return [
        Problem(
            event.event_file,
            _('the clip "{title}" has no ranges').format(title=title),
            _('Add its times, e.g. ranges = "0:05 - 0:42", or remove the clip.'),
            event.slug,
        )
        for title in event.clips_without_ranges
    ]


def legal_settings(settings: Settings, where: Path | str) -> list[Problem]:
    """Publisher, imprint and an accessibility contact: a public body's site must state them."""
    problems = []
    if is_placeholder(settings.publisher):
        problems.append(
            Problem(
                where,
                _("the publisher is not filled in"),
                _('Write it under [site], e.g. publisher = "Stadt Musterhausen, Pressestelle".'),
            )
        )
    if is_placeholder(settings.imprint_url):
        problems.append(
            Problem(
                where,
                _("the link to the imprint is not filled in"),
                _(
                    'Write it under [site], e.g. imprint_url = "https://www.musterhausen.de/impressum".'
                ),
            )
        )
    a11y = settings.accessibility
    contacts = (a11y.contact_email, a11y.contact_phone, a11y.contact_address)
    if all(is_placeholder(value) for value in contacts):
        problems.append(
            Problem(
                where,
                _("the contact for feedback on accessibility is not filled in (BITV 2.0)"),
                _(
                    "Write it under [accessibility], e.g. "
                    'contact_email = "barrierefreiheit@musterhausen.de".'
                ),
            )
        )
    return problems


def no_captions(event: EventFacts) -> list[str]:
    """Only a warning: the page is usable, and the accessibility statement lists it."""
    if event.transcript is not None:
        return []
    return [
        _(
            "{file}: no transcript, so the videos have no captions; the accessibility "
            "statement lists this event"
        ).format(file=event.event_file)
    ]


EVENT_RULES = (
    transcript_beyond_recording,
    transcript_too_short,
    date_unconfirmed,
    clips_without_ranges,
)


def preflight(
    settings: Settings, settings_file: Path | str, events: Sequence[EventFacts]
) -> Preflight:
    """All problems and warnings of a project, site-wide first, then event by event."""
    problems = legal_settings(settings, settings_file)
    warnings: list[str] = []
    for event in events:
        for rule in EVENT_RULES:
            problems += rule(event)
        warnings += no_captions(event)
    return Preflight(problems, warnings)
