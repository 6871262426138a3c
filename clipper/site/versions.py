"""Publishing, after the page model: media URLs that change when their file changes.

A re-cut clip keeps its file name, so a browser or a CDN that cached the old one would
serve it stale. Every video, poster and track URL therefore carries `?v=` and a prefix of
a hash: for media made through the cache its key (which changes with anything it was made
from, without reading gigabytes again), for the small text files their bytes. Same inputs,
same URL: publishing again with nothing changed writes the same pages.

The pictures' sizes (for the embeds' aspect ratio) are filled in here too, from the
recording's probe (cached).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from clipper.site.derived import DerivedMedia
from clipper.site.model import Download, EventPage, Video

VERSION_CHARS = 10


def versioned(page: EventPage, site_dir: Path, media: DerivedMedia, recording: Path) -> EventPage:
    """`page` with versioned media URLs and its videos' picture sizes."""
    folder = site_dir / Path(page.href).parent
    stream = media.probe(recording).video
    width, height = (stream.width or 0, stream.height or 0) if stream else (0, 0)

    def url(href: str | None) -> str | None:
        if href is None or "?" in href or ":" in href:
            return href
        path = folder / href
        key = media.key_of(path) or hashlib.sha256(path.read_bytes()).hexdigest()
        return f"{href}?v={key[:VERSION_CHARS]}"

    def video(v: Video) -> Video:
        return replace(
            v,
            video_href=url(v.video_href) or v.video_href,
            captions_href=url(v.captions_href),
            chapters_href=url(v.chapters_href),
            poster_href=url(v.poster_href),
            downloads=[Download(d.label, url(d.href) or d.href, d.size_bytes) for d in v.downloads],
            width=v.width or width,
            height=v.height or height,
        )

    return replace(page, videos=[video(v) for v in page.videos])


def file_name(href: str) -> str:
    """The file a (versioned) URL names: `clip.mp4?v=ab12` -> `clip.mp4`."""
    return href.split("?", 1)[0].split("#", 1)[0]
