"""Publishing, with the pages: write each video's embed page and, with a `base_url`, its
oEmbed document (clipper/site/embed.py makes their content).

The embed pages use the site's CSP and player script, so they behave like the event page
(captions on, `?t=`/`#t=`, keyboard); who may frame them is the web server's header
(clipper/site/server_config.py), since a meta tag cannot say it.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from clipper.settings import Settings
from clipper.site.embed import Embed, embeds_of, oembed_document, oembed_url
from clipper.site.environment import make_environment
from clipper.site.meta import asset_url, page_url
from clipper.site.model import EventPage
from clipper.site.versions import file_name
from clipper.site.views import video_views


def render_embeds(
    env: Environment, page: EventPage, settings: Settings, *, draft: bool = False
) -> dict[str, str]:
    """Each video's embed page (and oEmbed JSON) by path relative to the site root."""
    files: dict[str, str] = {}
    base = settings.base_url
    provider = settings.publisher or settings.title
    for view, embed in zip(video_views(page), embeds_of(page), strict=True):
        video = view.video
        files[embed.href] = env.get_template("embed.html").render(
            lang=page.language,
            page=page,
            video=video,
            anchor=view.anchor,
            source_type=view.source_type,
            src=_from_embed,
            static="../../../static/",
            event_url="../index.html",
            canonical=page_url(base, page.href),
            oembed=oembed_url(base, embed),
            draft=draft,
        )
        if base:
            files[embed.oembed_href] = oembed_document(
                embed,
                base,
                provider=provider,
                thumbnail=_thumbnail(page, video.poster_href),
                thumbnail_size=(embed.width, embed.height),
            )
    return files


def _from_embed(href: str) -> str:
    """A file next to the event page as seen from its `embed/` folder (data: URLs as they are)."""
    return href if ":" in file_name(href) else "../" + href


def _thumbnail(page: EventPage, poster: str | None) -> str | None:
    """The poster's path from the site root (with its version), for an absolute URL."""
    if not poster or ":" in file_name(poster):
        return None
    return asset_url("/", page.href, poster)[1:]


def write_embeds(
    pages: list[EventPage],
    site_dir: Path,
    *,
    settings: Settings,
    theme_dir: Path | None,
    draft: bool = False,
) -> list[Embed]:
    """Render every embed first, then write them: a template error writes nothing."""
    env = make_environment(theme_dir)
    files: dict[str, str] = {}
    for page in pages:
        files.update(render_embeds(env, page, settings, draft=draft))
    for href, text in files.items():
        path = site_dir.joinpath(*href.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [e for p in pages for e in embeds_of(p)]
