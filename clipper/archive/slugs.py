"""Slugs: the names of event folders and clips on disk and in the site's URLs.

One rule makes them from titles (`slugify`, `clip_slug`) and one check refuses a name a
user gave or made by hand (`slug_problem`): both keep to lower-case ASCII, at most SLUG_MAX
characters and away from the names Windows keeps for devices, so an archive copied to a
Windows share still works.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Set

from clipper.i18n import N_, _

# What publish writes into an event's folder under fixed names, and the folders beside it:
# a clip slugged like one of them would overwrite the full recording's files or a page.
FULL_RECORDING = "gesamtaufzeichnung"
SITE_NAMES = frozenset({FULL_RECORDING, "index", "static", "events", "feed"})
# Names Windows gives to devices, with or without an extension ("con.mp4" is the console).
DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)
SLUG_MAX = 60
SLUG_HINT = N_("use lower-case letters, digits and hyphens, e.g. ratssitzung-2024-05")
# Dots only between other characters: Windows drops a trailing dot, `..` climbs a folder.
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*")
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def slugify(text: str, *, taken: Set[str] = frozenset()) -> str:
    """A URL- and file-safe name, the same on every system: German umlauts transliterated,
    lower case, hyphens, at most SLUG_MAX characters (cut at a word boundary).

    A name Windows reserves for a device, or one in `taken`, gets a number: `con-2`,
    `gesamtaufzeichnung-2`, ...
    """
    text = text.translate(_UMLAUTS).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _bounded(re.sub(r"[^a-z0-9]+", "-", text).strip("-"), SLUG_MAX) or "clip"
    if slug not in DEVICE_NAMES and slug not in taken:
        return slug
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = _bounded(slug, SLUG_MAX - len(suffix)) + suffix
        if candidate not in taken:
            return candidate
        number += 1


def clip_slug(title: str, others: Set[str]) -> str:
    """A clip's slug: never one of clipper's own names in the event's page folder, nor one
    of the event's `others` clips (different titles can make the same slug)."""
    return slugify(title, taken=SITE_NAMES | others)


def _bounded(slug: str, limit: int) -> str:
    """`slug` cut to `limit` characters, at the last hyphen if there is one to cut at."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if slug[limit] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def slug_problem(slug: str) -> str | None:
    """What is wrong with a slug a user gave (`--slug`, a folder made by hand), or None.

    Refused: names that could escape `recordings/`, hide from listings, differ from what
    slugify makes, are too long for the site's URLs, or name a Windows device.
    """
    if not slug:
        return _("is empty")
    if "/" in slug or "\\" in slug or os.sep in slug:
        return _("contains a path separator")
    if ".." in slug:
        return _("contains '..'")
    if slug.startswith("."):
        return _("starts with a dot")
    if not _SLUG.fullmatch(slug):
        return _("may only hold lower-case letters, digits and hyphens")
    if len(slug) > SLUG_MAX:
        return _("is longer than {SLUG_MAX} characters").format(SLUG_MAX=SLUG_MAX)
    if slug.split(".")[0] in DEVICE_NAMES:
        return _("is a name Windows keeps for a device")
    return None
