"""Publishing, phase 3: the page model -- each event's page from its media and texts, with
the warnings staff should see (missing texts, a damaged recording, ranges notes)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt

from clipper.i18n import _
from clipper.media.damage import DamageReport
from clipper.site.captions import embed_tracks, transcript_cues
from clipper.site.media_phase import EventMedia, VideoMedia
from clipper.site.model import Download, EventPage, Video
from clipper.site.originals import damage_note
from clipper.site.texts import event_warnings, summary_text
from clipper.timecode import fraction_to_ms


def markdown_to_html(text: str) -> str:
    """CommonMark with raw HTML disabled: staff text cannot inject markup or scripts."""
    return str(MarkdownIt("commonmark", {"html": False}).render(text))


def event_page(
    derived: EventMedia, damage: DamageReport, site_dir: Path, *, portable: bool
) -> EventPage:
    """The event's page; `portable` embeds its tracks as data: URLs (see `publish`)."""
    event = derived.event
    description_html = markdown_to_html(event.description)
    page = EventPage(
        slug=event.slug,
        title=event.title,
        date=event.date,
        language=event.language,
        description_html=description_html,
        credits_html=markdown_to_html(event.credits) if event.credits else None,
        videos=[_video(v, event.title) for v in derived.videos],
        href=f"events/{event.slug}/index.html",
        summary=summary_text(description_html) or event.title,
        plain_language_html=markdown_to_html(event.plain_language)
        if event.plain_language
        else None,
        visual_description_html=markdown_to_html(event.visual_description)
        if event.visual_description
        else None,
        automatic_captions=event.transcript_status == "automatisch",
    )
    if damage.damaged:
        page = replace(page, damage_note=damage_note(damage))
    return embed_tracks(page, site_dir) if portable else page


def page_warnings(derived: EventMedia, damage: DamageReport) -> list[str]:
    """What staff should fix about this event, in the order they read it: its texts, its
    recording's damage, then what making its media noticed."""
    warnings = event_warnings(derived.event)
    if damage.damaged:
        warnings.append(
            _("{recording}: {summary}; published anyway").format(
                recording=derived.event.recording, summary=damage.summary()
            )
        )
    return warnings + derived.warnings


def _video(media: VideoMedia, event_title: str) -> Video:
    downloads = [Download("Video (MP4)", media.video.name, media.video.stat().st_size)]
    if media.captions is not None:
        downloads.append(
            Download("Untertitel (WebVTT)", media.captions.name, media.captions.stat().st_size)
        )
    what = "der Gesamtaufzeichnung" if media.kind == "full" else f"dem Ausschnitt „{media.title}“"
    return Video(
        kind=media.kind,
        title=media.title,
        video_href=media.video.name,
        captions_href=media.captions.name if media.captions else None,
        poster_href=media.poster.name,
        duration_ms=fraction_to_ms(media.duration),
        cues=transcript_cues(media.cues),  # rolling (YouTube) lines listed once
        chapters=media.chapters,
        downloads=downloads,
        anchor=media.anchor,
        chapters_href=media.chapters_file.name if media.chapters_file else None,
        poster_alt=f"Standbild aus {what}: {event_title}",
    )
