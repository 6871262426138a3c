"""Embeds: the player-only page of each video, the `<iframe>` snippet for a news post and
the oEmbed document that CMSs (WordPress, TYPO3) read to embed it themselves.

Pure functions of the page model and `base_url`: `clipper embed` prints the same snippet
the oEmbed file carries, because both come from `iframe_html`. Each video's embed lives at
`events/<slug>/embed/<name>.html` (`<name>`: the video's file name without suffix, the
clip's slug or `gesamtaufzeichnung`), its oEmbed document beside it as `<name>.json`.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass

from markupsafe import escape

from clipper.site.model import EventPage, Video
from clipper.site.versions import file_name

DEFAULT_WIDTH = 640
OEMBED_TYPE = "application/json+oembed"


@dataclass(frozen=True)
class Embed:
    """What a snippet is made of: which video, its titles, its picture's shape."""

    event_slug: str
    event_title: str
    name: str
    title: str
    width: int  # of the picture (0: unknown, 16:9 is assumed)
    height: int

    @property
    def href(self) -> str:
        """The embed page, relative to the site root."""
        return f"events/{self.event_slug}/embed/{self.name}.html"

    @property
    def oembed_href(self) -> str:
        return f"events/{self.event_slug}/embed/{self.name}.json"

    @property
    def event_href(self) -> str:
        return f"events/{self.event_slug}/"

    @property
    def frame_title(self) -> str:
        """The iframe's accessible name: what a screen reader announces before entering it."""
        return f"Video: {self.title} – {self.event_title}"


def video_name(video: Video) -> str:
    return posixpath.splitext(file_name(video.video_href))[0]


def embeds_of(page: EventPage) -> list[Embed]:
    """One embed per video of the page, in the page's order (clips first)."""
    return [
        Embed(page.slug, page.title, video_name(v), v.title, v.width, v.height) for v in page.videos
    ]


def frame_size(embed: Embed, width: int | None = None) -> tuple[int, int]:
    """The iframe's width and height: `width` (default 640) at the picture's aspect ratio."""
    w = width or DEFAULT_WIDTH
    pw, ph = (embed.width, embed.height) if embed.width and embed.height else (16, 9)
    return w, max(1, round(w * ph / pw))


def _ratio(embed: Embed) -> str:
    if embed.width and embed.height:
        return f"{embed.width} / {embed.height}"
    return "16 / 9"


def iframe_html(embed: Embed, base_url: str, width: int | None = None) -> str:
    """The `<iframe>`: titled, lazily loaded, fullscreen allowed, fixed aspect ratio that
    shrinks with a narrow column (phones) instead of cropping."""
    w, h = frame_size(embed, width)
    return (
        f'<iframe src="{escape(base_url + embed.href)}" title="{escape(embed.frame_title)}" '
        f'width="{w}" height="{h}" '
        f'style="width: 100%; max-width: {w}px; height: auto; aspect-ratio: {_ratio(embed)}; '
        'border: 0;" allow="fullscreen" loading="lazy"></iframe>'
    )


def snippet(embed: Embed, base_url: str, width: int | None = None) -> str:
    """What staff paste into the news post: the iframe and a text link under it, for
    readers whose browser or CMS shows no frames."""
    link = (
        f'<p><a href="{escape(base_url + embed.event_href)}">'
        f"{escape(embed.title)}: {escape(embed.event_title)} – im Videoarchiv ansehen</a></p>"
    )
    return iframe_html(embed, base_url, width) + "\n" + link


def oembed_document(
    embed: Embed,
    base_url: str,
    *,
    provider: str,
    thumbnail: str | None,
    thumbnail_size: tuple[int, int] | None = None,
) -> str:
    """The oEmbed 1.0 JSON (type video); `html` is exactly `iframe_html`'s. URLs absolute.

    Key order and formatting are fixed, so the same site writes the same bytes."""
    w, h = frame_size(embed)
    data: dict[str, object] = {
        "version": "1.0",
        "type": "video",
        "title": f"{embed.title} – {embed.event_title}",
        "provider_name": provider,
        "provider_url": base_url,
        "html": iframe_html(embed, base_url),
        "width": w,
        "height": h,
    }
    if thumbnail:
        data["thumbnail_url"] = base_url + thumbnail
        if thumbnail_size and all(thumbnail_size):
            data["thumbnail_width"], data["thumbnail_height"] = thumbnail_size
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def oembed_url(base_url: str | None, embed: Embed) -> str | None:
    """The discovery link's target (only with a base URL: oEmbed URLs are absolute)."""
    return base_url + embed.oembed_href if base_url else None
