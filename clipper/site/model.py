"""What the site shows, independent of how it is rendered or how the media were made.

`build.py` fills these from the archive (after cutting clips and making web copies);
`render.py` turns them into HTML. URLs are relative to the page that shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clipper.subtitles.model import Cue


@dataclass(frozen=True)
class Chapter:
    """A labelled part of a clip: where it starts in the clip and in the full recording."""

    title: str
    start_ms: int  # in the clip
    end_ms: int  # in the clip
    source_start_ms: int  # in the full recording


@dataclass(frozen=True)
class Download:
    label: str  # e.g. "Video (MP4)"
    href: str
    size_bytes: int


@dataclass(frozen=True)
class Video:
    """One published video (a summary clip or the full recording) with its captions."""

    kind: str  # "clip" or "full"
    title: str
    video_href: str
    captions_href: str | None
    poster_href: str | None
    duration_ms: int
    cues: list[Cue]
    chapters: list[Chapter] = field(default_factory=list)
    downloads: list[Download] = field(default_factory=list)
    anchor: str = ""  # HTML id of this video's section on the event page
    chapters_href: str | None = None  # WebVTT chapters track (clips)
    # What `<track src>` uses when it differs from the file (a data: URL for file:// pages).
    captions_track_src: str | None = None
    chapters_track_src: str | None = None
    poster_alt: str = ""
    width: int = 0  # of the picture, for the embed's aspect ratio (0: not known)
    height: int = 0

    @property
    def captions_src(self) -> str | None:
        return self.captions_track_src or self.captions_href

    @property
    def chapters_src(self) -> str | None:
        return self.chapters_track_src or self.chapters_href


@dataclass(frozen=True)
class EventPage:
    slug: str
    title: str
    date: dt.date
    language: str
    description_html: str  # already rendered from Markdown (safe: raw HTML disabled)
    credits_html: str | None
    videos: list[Video]
    href: str  # relative to the site root, e.g. "events/<slug>/index.html"
    summary: str = ""  # plain text for link previews (OpenGraph, JSON-LD, the feed)
    plain_language_html: str | None = None  # "Leichte Sprache", rendered from Markdown
    visual_description_html: str | None = None  # what is seen (WCAG 1.2.3 / 1.2.5)
    damage_note: str | None = None  # published with --allow-damaged: where it is damaged
    automatic_captions: bool = False  # transcript_status = "automatisch": not yet checked

    @property
    def duration_ms(self) -> int:
        return max((v.duration_ms for v in self.videos if v.kind == "full"), default=0)
