"""The page model as the templates see it: ids, media types and links worked out once."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath

from clipper.site.model import Chapter, Download, EventPage, Video

_VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm"}
_MEDIA_SUFFIXES = {".mp4", ".m4v", ".webm", ".mkv", ".mov", ".m4a", ".mp3", ".ogg", ".opus"}


@dataclass(frozen=True)
class VideoView:
    """A video plus what the template needs and should not compute: ids, types, links."""

    video: Video
    anchor: str
    source_type: str
    full_anchor: str | None  # the full recording's section, for chapter cross-links

    @property
    def chapters(self) -> list[Chapter]:
        return self.video.chapters

    def is_media_download(self, download: Download) -> bool:
        """Video/audio files get a duration next to their size; caption files do not."""
        return PurePosixPath(download.href.split("?")[0]).suffix.lower() in _MEDIA_SUFFIXES


def video_views(page: EventPage) -> list[VideoView]:
    """Give each video a unique section id and find the full recording to link chapters to."""
    anchors: list[str] = []
    for index, video in enumerate(page.videos, start=1):
        anchor = video.anchor or video.kind or f"video-{index}"
        base, n = anchor, 1
        while anchor in anchors:
            n += 1
            anchor = f"{base}-{n}"
        anchors.append(anchor)
    full_anchor = next(
        (a for a, v in zip(anchors, page.videos, strict=True) if v.kind == "full"), None
    )
    views = []
    for anchor, video in zip(anchors, page.videos, strict=True):
        suffix = PurePosixPath(video.video_href.split("?")[0]).suffix.lower()
        views.append(
            VideoView(
                video=video,
                anchor=anchor,
                source_type=_VIDEO_TYPES.get(suffix, "video/mp4"),
                full_anchor=None if video.kind == "full" else full_anchor,
            )
        )
    return views


def root_prefix(href: str) -> str:
    """`../../` for `events/<slug>/index.html`: how a page reaches the site root."""
    return "../" * (len(PurePosixPath(href).parts) - 1)


def event_duration(page: EventPage) -> int:
    return page.duration_ms or max((v.duration_ms for v in page.videos), default=0)


@dataclass(frozen=True)
class IndexEntry:
    """One line of the event list, with URLs made relative to the index page."""

    page: EventPage
    href: str
    poster_href: str | None
    duration_ms: int
    has_captions: bool
    has_transcript: bool
    poster_alt: str = ""
    has_plain_language: bool = False
    has_visual_description: bool = False


def index_entry(page: EventPage) -> IndexEntry:
    folder = posixpath.dirname(page.href)
    with_poster = next((v for v in page.videos if v.poster_href), None)
    poster = with_poster.poster_href if with_poster else None
    return IndexEntry(
        page=page,
        href=page.href,
        poster_href=posixpath.normpath(posixpath.join(folder, poster)) if poster else None,
        poster_alt=with_poster.poster_alt if with_poster else "",
        has_plain_language=bool(page.plain_language_html),
        has_visual_description=bool(page.visual_description_html),
        duration_ms=event_duration(page),
        has_captions=any(v.captions_href for v in page.videos),
        has_transcript=any(v.cues for v in page.videos),
    )
