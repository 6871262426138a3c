"""The language clipper speaks: German by default, English on request.

Staff read German, so every message, help text and progress line goes through `_()` (and
`ngettext()` for counts) and is looked up in the German catalog
(`clipper/locale/de/LC_MESSAGES/clipper.po`, compiled to `.mo` and shipped in the wheel).
The message ids in the code are English, which is what `CLIPPER_LANG=en` (or `language =
"en"` in clipper.toml; the variable wins) shows. The system locale (LANG, LANGUAGE) is
deliberately ignored: a German city's PC set to English must still speak German.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "clipper"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "de"
LANGUAGES = ("de", "en")

_configured: str | None = None  # from clipper.toml, set by the CLI once it found the project


def set_language(language: str | None) -> None:
    """The project's language from clipper.toml (None: the default); CLIPPER_LANG wins."""
    global _configured
    _configured = language


def current_language() -> str:
    for candidate in (os.environ.get("CLIPPER_LANG"), _configured):
        if candidate:
            code = candidate.strip().lower().split("_")[0].split("-")[0]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """`message` (English, as written in the code) in the current language."""
    return _catalog(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language."""
    return _catalog(current_language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now: for texts made at import
    time (option help), which the CLI translates when it shows them (cli/lang.py)."""
    return message


def route_stdlib_gettext() -> None:
    """Let libraries that call the stdlib's `gettext.gettext` (Click, Typer) speak clipper's
    language: their default-domain lookups go to clipper's catalog, never to LANG/LANGUAGE.
    Idempotent; lookups in other domains are left alone."""
    if getattr(gettext.dgettext, "_clipper", False):
        return
    original_dgettext, original_dngettext = gettext.dgettext, gettext.dngettext

    def dgettext(domain: str, message: str) -> str:
        if domain == gettext.textdomain():
            return _(message)
        return original_dgettext(domain, message)

    def dngettext(domain: str, msgid1: str, msgid2: str, n: int) -> str:
        if domain == gettext.textdomain():
            return ngettext(msgid1, msgid2, n)
        return original_dngettext(domain, msgid1, msgid2, n)

    dgettext._clipper = True  # type: ignore[attr-defined]
    gettext.dgettext = dgettext
    gettext.dngettext = dngettext
