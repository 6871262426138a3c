"""Turn the page model into HTML files: a Jinja2 environment with a theme search path.

Templates are looked up in the theme folder first (`<theme>/templates`), then in the
built-in `clipper/templates`, so a city can restyle the site by overriding one block of
`base.html`. Static files (css, the small player script) are copied the same way: the
built-in ones first, then the theme's, which win on equal names.

Every URL in the output is relative, so the site works from any folder, from `file://`
and behind any path prefix. Nothing is loaded from another host.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from markdown_it import MarkdownIt
from markupsafe import Markup

from clipper.errors import ClipperError
from clipper.settings import Settings
from clipper.site.meta import asset_url, event_json_ld, page_url
from clipper.site.model import Chapter, Download, EventPage, Video
from clipper.timecode import format_clock, iso_duration

# Content-Security-Policy for every page: only our own files, no inline code, no other hosts.
CSP = (
    "default-src 'self'; media-src 'self' data:; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'"
)
# The search page alone also lets its search engine (Pagefind) compile its WebAssembly.
SEARCH_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")

_MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

_LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}

_VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm"}
_MEDIA_SUFFIXES = {".mp4", ".m4v", ".webm", ".mkv", ".mov", ".m4a", ".mp3", ".ogg", ".opus"}


# ----------------------------------------------------------------------------- formatting


def german_date(day: dt.date) -> str:
    """`17. September 2020`: the form German readers expect, independent of the OS locale."""
    return f"{day.day}. {_MONTHS_DE[day.month - 1]} {day.year}"


def megabytes(size_bytes: int) -> str:
    """`12,4 MB` (decimal megabytes, German decimal comma); small files in `kB`."""
    if size_bytes < 100_000:
        return f"{max(1, round(size_bytes / 1000))} kB"
    return f"{size_bytes / 1_000_000:.1f}".replace(".", ",") + " MB"


def seconds_attr(ms: int) -> str:
    """Exact seconds for `data-start` (`12.5`, `754`): players seek in float seconds."""
    whole, millis = divmod(max(ms, 0), 1000)
    return f"{whole}.{millis:03d}".rstrip("0").rstrip(".") if millis else str(whole)


def language_label(language: str) -> str:
    """The caption menu label: the language's own name where known, else its code."""
    return _LANGUAGE_NAMES.get(language.split("-")[0].lower(), language)


def time_href(anchor: str, ms: int) -> str:
    """A shareable deep link on the same page (`?v=clip&t=12#clip`); works without script."""
    return f"?v={anchor}&t={max(ms, 0) // 1000}#{anchor}"


def markdown_filter(text: str) -> Markup:
    """Staff Markdown (settings texts) as HTML; raw HTML disabled, so nothing is injected."""
    return Markup(MarkdownIt("commonmark", {"html": False}).render(text))


# ----------------------------------------------------------------------------- view model


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


def _video_views(page: EventPage) -> list[VideoView]:
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


def _root_prefix(href: str) -> str:
    """`../../` for `events/<slug>/index.html`: how a page reaches the site root."""
    return "../" * (len(PurePosixPath(href).parts) - 1)


def _event_duration(page: EventPage) -> int:
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


def _index_entry(page: EventPage) -> IndexEntry:
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
        duration_ms=_event_duration(page),
        has_captions=any(v.captions_href for v in page.videos),
        has_transcript=any(v.cues for v in page.videos),
    )


# ----------------------------------------------------------------------------- environment


def make_environment(theme_dir: Path | None = None) -> Environment:
    """Jinja2 with autoescape and strict undefined: a typo fails the build, not the page.

    Search path: the theme's templates, then the built-in ones. The built-in ones are also
    reachable as `clipper/<name>`, so a theme's `base.html` can `{% extends "clipper/base.html"
    %}` and override just one block.
    """
    builtin = PackageLoader("clipper", "templates")
    loaders: list[BaseLoader] = []
    if theme_dir is not None:
        loaders.append(FileSystemLoader(str(theme_dir / "templates")))
    loaders += [builtin, PrefixLoader({"clipper": builtin})]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        clock=format_clock,
        iso_duration=iso_duration,
        german_date=german_date,
        megabytes=megabytes,
        seconds=seconds_attr,
        time_href=time_href,
        markdown=markdown_filter,
    )
    env.globals.update(csp=CSP, language_label=language_label)
    return env


def _newest_first(pages: list[EventPage]) -> list[EventPage]:
    return sorted(pages, key=lambda p: p.date, reverse=True)


def _common(settings: Settings, href: str, site_title: str) -> dict[str, object]:
    """What every page's base template needs: where the root is, titles, canonical URL."""
    root = _root_prefix(href)
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
        entries=[_index_entry(p) for p in _newest_first(pages)],
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
    views = _video_views(page)
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
        )
    context["description"] = page.summary or page.title
    return env.get_template("event.html").render(
        context,
        lang=page.language,
        page=page,
        duration_ms=_event_duration(page),
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
) -> None:
    """Write `index.html`, one page per event at `page.href`, the accessibility statement,
    the privacy note, the search page, the Atom feed `feed.xml`, and `static/`.

    Media files are not touched: the builder places them next to each event page.
    Everything is rendered before anything is written, so a template error leaves no
    half-written site behind.
    """
    if theme_dir is not None and not theme_dir.is_dir():
        raise ClipperError(
            "the theme folder does not exist",
            path=theme_dir,
            hint="create it with templates/ and/or static/ subfolders, or drop the theme option",
        )
    env = make_environment(theme_dir)
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
                raise ClipperError(f"event page address {page.href!r} must stay inside the site")
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
        outputs[out_dir / "feed.xml"] = render_feed(env, pages, site_title=title, settings=settings)
    except TemplateSyntaxError as exc:
        raise ClipperError(
            f"template error: {exc.message}",
            path=exc.filename or exc.name,
            line=exc.lineno,
            hint="check the theme's templates",
        ) from exc
    except TemplateError as exc:
        raise ClipperError(
            f"template error: {exc}", hint="check the theme's templates and block names"
        ) from exc
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    copy_static(out_dir, theme_dir)
