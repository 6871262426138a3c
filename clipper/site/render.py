"""Turn the page model into the site's HTML pages and its Atom feed, and copy static files.

The Jinja2 environment (theme search path, filters) is in clipper/site/environment.py, what
the templates see of the page model in clipper/site/views.py. Static files (css, the small
player script) are copied built-in first, then the theme's, which win on equal names.

Every URL in the output is relative, so the site works from any folder, from `file://`
and behind any path prefix. Nothing is loaded from another host.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from clipper.errors import ClipperError
from clipper.i18n import _
from clipper.settings import Settings
from clipper.site.embed import embeds_of, oembed_url
from clipper.site.environment import SEARCH_CSP, make_environment
from clipper.site.meta import asset_url, event_json_ld, page_url
from clipper.site.model import EventPage
from clipper.site.views import event_duration, index_entry, root_prefix, video_views


def _newest_first(pages: list[EventPage]) -> list[EventPage]:
    return sorted(pages, key=lambda p: p.date, reverse=True)


def _common(settings: Settings, href: str, site_title: str) -> dict[str, object]:
    """What every page's base template needs: where the root is, titles, canonical URL."""
    root = root_prefix(href)
    return {
        "site_title": site_title,
        "settings": settings,
        "root": root,
        "static": root + "static/",
        "canonical": page_url(settings.base_url, href),
        "og_image": None,
        "og_image_alt": "",
        "og_video": None,
        "og_type": "website",
        "description": settings.description,
        "json_ld": None,
        "oembed": None,
    }


def render_index(
    env: Environment,
    pages: list[EventPage],
    *,
    site_title: str,
    settings: Settings | None = None,
) -> str:
    """The event list, newest first (stable: equal dates keep the caller's order)."""
    settings = settings or Settings()
    return env.get_template("index.html").render(
        _common(settings, "index.html", site_title),
        lang="de",
        entries=[index_entry(p) for p in _newest_first(pages)],
    )


def render_event(
    env: Environment,
    page: EventPage,
    *,
    site_title: str,
    settings: Settings | None = None,
) -> str:
    """One event page; all links relative to `page.href`."""
    settings = settings or Settings()
    views = video_views(page)
    context = _common(settings, page.href, site_title)
    first = page.videos[0] if page.videos else None
    if first is not None:
        base = settings.base_url
        context.update(
            og_type="video.other",
            og_image=asset_url(base, page.href, first.poster_href) if first.poster_href else None,
            og_image_alt=first.poster_alt,
            og_video=asset_url(base, page.href, first.video_href),
            json_ld=event_json_ld(page, [v.anchor for v in views], base),
            oembed=oembed_url(base, embeds_of(page)[0]),  # the default video's (clips first)
        )
    context["description"] = page.summary or page.title
    return env.get_template("event.html").render(
        context,
        lang=page.language,
        page=page,
        duration_ms=event_duration(page),
        videos=views,
    )


def render_statement(
    env: Environment, pages: list[EventPage], *, site_title: str, settings: Settings
) -> str:
    """The Erklärung zur Barrierefreiheit; lists the events that lack accessible texts."""
    return env.get_template("barrierefreiheit.html").render(
        _common(settings, "barrierefreiheit.html", site_title),
        lang="de",
        a11y=settings.accessibility,
        statement_date=settings.accessibility.statement_date or dt.date.today(),
        without_captions=[p for p in pages if not any(v.captions_href for v in p.videos)],
        without_plain_language=[p for p in pages if not p.plain_language_html],
        without_visual_description=[p for p in pages if not p.visual_description_html],
    )


def render_privacy(env: Environment, *, site_title: str, settings: Settings) -> str:
    """The privacy note: what this site does (nothing) and what the web server does."""
    return env.get_template("datenschutz.html").render(
        _common(settings, "datenschutz.html", site_title), lang="de"
    )


def render_search(env: Environment, *, site_title: str, settings: Settings) -> str:
    """The search page (suche.html); its index is written by clipper/site/search.py."""
    return env.get_template("suche.html").render(
        _common(settings, "suche.html", site_title), lang="de", csp=SEARCH_CSP
    )


def render_feed(
    env: Environment, pages: list[EventPage], *, site_title: str, settings: Settings
) -> str:
    """An Atom feed of the events, newest first."""
    newest = _newest_first(pages)
    base = settings.base_url
    entries = [
        {
            "page": p,
            "url": page_url(base, p.href) or p.href,
            "id": page_url(base, p.href) or f"tag:clipper,{p.date.isoformat()}:{p.slug}",
        }
        for p in newest
    ]
    return env.get_template("feed.xml").render(
        site_title=site_title,
        settings=settings,
        feed_id=(base + "feed.xml") if base else "tag:clipper,2020:" + _tag_name(site_title),
        home=base or "index.html",
        self_url=(base + "feed.xml") if base else "feed.xml",
        updated=newest[0].date.isoformat() if newest else "1970-01-01",
        entries=entries,
    )


def _tag_name(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "archiv"


# ----------------------------------------------------------------------------- writing


def _static_files(folder: Traversable, prefix: PurePosixPath) -> Iterator[tuple[str, bytes]]:
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name.startswith(".") or item.name == "__pycache__":
            continue
        if item.is_dir():
            yield from _static_files(item, prefix / item.name)
        else:
            yield str(prefix / item.name), item.read_bytes()


def copy_static(out_dir: Path, theme_dir: Path | None = None) -> None:
    """Built-in static files, then the theme's on top (same name wins)."""
    target = out_dir / "static"
    target.mkdir(parents=True, exist_ok=True)
    builtin = resources.files("clipper") / "static"
    for name, data in _static_files(builtin, PurePosixPath()):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if theme_dir is not None and (theme_dir / "static").is_dir():
        shutil.copytree(theme_dir / "static", target, dirs_exist_ok=True)


def render_site(
    pages: list[EventPage],
    out_dir: Path,
    *,
    theme_dir: Path | None = None,
    site_title: str | None = None,
    settings: Settings | None = None,
    draft: bool = False,
    feed_leaves_out: frozenset[str] = frozenset(),
) -> None:
    """Write `index.html`, one page per event at `page.href`, the accessibility statement,
    the privacy note, the search page, the Atom feed `feed.xml`, and `static/`.

    Media files are not touched: the builder places them next to each event page.
    Everything is rendered before anything is written, so a template error leaves no
    half-written site behind. A `draft` site has a banner and `noindex` on every page, and
    its feed leaves out the events in `feed_leaves_out` (those that failed the preflight).
    """
    if theme_dir is not None and not theme_dir.is_dir():
        raise ClipperError(
            _("the theme folder does not exist"),
            path=theme_dir,
            hint=_("create it with templates/ and/or static/ subfolders, or drop the theme option"),
        )
    env = make_environment(theme_dir)
    env.globals["draft"] = draft
    settings = settings or Settings()
    title = site_title or settings.title
    outputs: dict[Path, str] = {}
    try:
        outputs[out_dir / "index.html"] = render_index(
            env, pages, site_title=title, settings=settings
        )
        for page in pages:
            href = PurePosixPath(page.href)
            if href.is_absolute() or ".." in href.parts or not href.parts:
                raise ClipperError(
                    _("event page address {href!r} must stay inside the site").format(
                        href=page.href
                    )
                )
            outputs[out_dir.joinpath(*href.parts)] = render_event(
                env, page, site_title=title, settings=settings
            )
        outputs[out_dir / "barrierefreiheit.html"] = render_statement(
            env, pages, site_title=title, settings=settings
        )
        outputs[out_dir / "datenschutz.html"] = render_privacy(
            env, site_title=title, settings=settings
        )
        outputs[out_dir / "suche.html"] = render_search(env, site_title=title, settings=settings)
        in_feed = [p for p in pages if p.slug not in feed_leaves_out]
        outputs[out_dir / "feed.xml"] = render_feed(
            env, in_feed, site_title=title, settings=settings
        )
    except TemplateSyntaxError as exc:
        raise ClipperError(
            _("template error: {message}").format(message=exc.message),
            path=exc.filename or exc.name,
            line=exc.lineno,
            hint=_("check the theme's templates"),
        ) from exc
    except TemplateError as exc:
        raise ClipperError(
            _("template error: {exc}").format(exc=exc),
            hint=_("check the theme's templates and block names"),
        ) from exc
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    copy_static(out_dir, theme_dir)
