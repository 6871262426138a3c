"""What the pages tell machines: canonical URLs, OpenGraph, schema.org JSON-LD, Atom.

Search engines and link previews want absolute URLs; those exist only when the project
settings name the site's `base_url`. Without it, links stay relative (still valid for
JSON-LD and Atom, which resolve them against the document) and there is no canonical link.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

from markupsafe import Markup

from clipper.site.embed import video_name
from clipper.site.model import EventPage, Video
from clipper.timecode import iso_duration


def page_url(base_url: str | None, href: str) -> str | None:
    """The public address of a page (`.../events/x/` rather than `.../events/x/index.html`)."""
    if not base_url:
        return None
    path = href[: -len("index.html")] if href.endswith("index.html") else href
    return base_url + path


def asset_url(base_url: str | None, page_href: str, name: str) -> str:
    """A file next to a page: absolute with a base URL, else relative to the page."""
    if not base_url:
        return name
    return base_url + posixpath.normpath(posixpath.join(posixpath.dirname(page_href), name))


def json_ld(data: Any) -> Markup:
    """JSON for a `<script type="application/ld+json">`: `<` escaped, so no `</script>`."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _seconds(ms: int) -> int | float:
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


def video_object(
    page: EventPage, video: Video, anchor: str, base_url: str | None
) -> dict[str, Any]:
    """schema.org VideoObject with the chapters as Clip parts and a SeekToAction."""
    here = page_url(base_url, page.href) or ""

    def url(name: str) -> str:
        return asset_url(base_url, page.href, name)

    data: dict[str, Any] = {
        "@type": "VideoObject",
        "name": f"{page.title}: {video.title}",
        "description": page.summary or page.title,
        "uploadDate": page.date.isoformat(),
        "duration": iso_duration(video.duration_ms),
        "contentUrl": url(video.video_href),
        "inLanguage": page.language,
        "url": f"{here}#{anchor}",
    }
    if base_url:  # the player-only page (clipper/site/embed.py), for search engines
        data["embedUrl"] = f"{base_url}events/{page.slug}/embed/{video_name(video)}.html"
    if video.poster_href:
        data["thumbnailUrl"] = url(video.poster_href)
    if video.captions_href:
        data["caption"] = {
            "@type": "MediaObject",
            "contentUrl": url(video.captions_href),
            "encodingFormat": "text/vtt",
            "inLanguage": page.language,
        }
    if video.chapters:
        data["hasPart"] = [
            {
                "@type": "Clip",
                "name": chapter.title,
                "startOffset": _seconds(chapter.start_ms),
                "endOffset": _seconds(chapter.end_ms),
                "url": f"{here}?v={anchor}&t={chapter.start_ms // 1000}#{anchor}",
            }
            for chapter in video.chapters
        ]
    data["potentialAction"] = {
        "@type": "SeekToAction",
        "target": f"{here}?v={anchor}&t={{seek_to_second_number}}#{anchor}",
        "startOffset-input": "required name=seek_to_second_number",
    }
    return data


def event_json_ld(page: EventPage, anchors: list[str], base_url: str | None) -> Markup:
    """One JSON-LD document for all videos of an event page."""
    graph = [
        video_object(page, video, anchor, base_url)
        for video, anchor in zip(page.videos, anchors, strict=True)
    ]
    return json_ld({"@context": "https://schema.org", "@graph": graph})
