"""The Jinja2 environment of the site: theme search path, filters, output safety.

Templates are looked up in the theme folder first (`<theme>/templates`), then in the
built-in `clipper/templates`, so a city can restyle the site by overriding one block of
`base.html`. The filters format what German readers expect (dates, sizes, times); every
printed value passes `without_control_chars`, so no character of a transcript or an older
project's settings can make a page or the feed invalid.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
)
from markdown_it import MarkdownIt
from markupsafe import Markup

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


# Code points XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
# and those HTML calls parse errors (DEL, C1 controls): none may reach a page or the feed.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def without_control_chars(value: object) -> object:
    """Jinja `finalize`: drop characters that would make a page or feed.xml invalid, from
    every printed value (cue text, speaker and file names, settings of older projects).

    Runs before autoescaping; markup stays markup. Numbers and None print as before.
    """
    if hasattr(value, "__html__"):
        return Markup(_UNSAFE_CHARS.sub("", value.__html__()))
    if value is None or isinstance(value, int | float):
        return value
    return _UNSAFE_CHARS.sub("", str(value))


def markdown_filter(text: str) -> Markup:
    """Staff Markdown (settings texts) as HTML; raw HTML disabled, so nothing is injected."""
    return Markup(MarkdownIt("commonmark", {"html": False}).render(text))


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
        finalize=without_control_chars,
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
