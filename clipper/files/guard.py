"""The write guard's rules: every path a command is about to write is checked first.

Nothing a user types may destroy data. Before any work starts, a command asks the guard
about its outputs; the guard refuses, with one line naming the path, an output that is (or,
for a folder that gets replaced, contains) something protected: the project folder, its
archive folders, an event's original recording or transcript, or an input of the same
command; and a site folder that holds anything but a clipper site of this project.

The rules (`clash`, `site_verdict`) are pure: they compare `Spot`s, paths already looked
up. The helpers below them touch only the paths they are given (`spot`, the site marker,
the project id). What is protected in a project, which needs its layout and event.toml,
is looked up in clipper.archive.protect.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from clipper.errors import ClipperError
from clipper.files.atomic import atomic_write_text
from clipper.i18n import N_, _

SITE_MARKER = ".clipper-site.json"
PROJECT_ID_FILE = ".clipper-id"
# What render_site and the builder write at the top of a site, and nothing else.
SITE_LAYOUT = frozenset(
    {"index.html", "events", "static", "feed.xml", "barrierefreiheit.html", "datenschutz.html"}
    | {".htaccess", "web.config", "nginx-clipper.conf"}  # server set-up (site/server_config.py)
    | {"suche.html", "pagefind"}  # the search page and its index (clipper/site/search.py)
)
# Where paths differ only in case, the same file answers to both names.
CASE_INSENSITIVE = sys.platform in ("win32", "darwin")

Kind = Literal["project", "archive", "original", "transcript", "input"]


class GuardError(ClipperError):
    """An output would overwrite or replace something clipper must never touch."""


@dataclass(frozen=True)
class Spot:
    """A path as the guard compares it: resolved (symlinks, `..`), and the file's identity
    (device, inode) when it exists, so a hard link or another spelling is still the same."""

    path: Path
    ident: tuple[int, int] | None
    kind: Kind
    label: str = ""  # the event's name, or which input ("the ranges file")

    @property
    def key(self) -> tuple[str, ...]:
        parts = self.path.parts
        return tuple(p.casefold() for p in parts) if CASE_INSENSITIVE else parts


# --- pure rules ---------------------------------------------------------------------------


def same(a: Spot, b: Spot) -> bool:
    if a.ident is not None and b.ident is not None:
        return a.ident == b.ident
    return a.key == b.key


def inside(inner: Spot, outer: Spot) -> bool:
    """`inner` is `outer` or somewhere below it."""
    return inner.key[: len(outer.key)] == outer.key or same(inner, outer)


def clash(output: Spot, protected: Iterable[Spot], *, replaces_folder: bool = False) -> str | None:
    """Why `output` must not be written, or None. A folder that is replaced as a whole
    (`replaces_folder`) must not contain anything protected either."""
    protected = list(protected)
    for p in protected:
        if same(output, p):
            return _(_IS[p.kind]).format(label=_shown_label(p))
    for p in protected:
        if p.kind == "archive" and inside(output, p):
            return _(
                "is inside the archive folder {label}/; only clipper ingest writes there"
            ).format(label=p.label)
        if (replaces_folder or p.kind in ("project", "archive")) and inside(p, output):
            return _(_CONTAINS[p.kind]).format(label=_shown_label(p))
    return None


def _shown_label(p: Spot) -> str:
    """An input's label is a text of ours ("the recording"), in the current language; the
    others are names (a slug, a folder) and stay as they are."""
    return _(p.label) if p.kind == "input" else p.label


_IS: dict[Kind, str] = {
    "project": N_("is the project folder; clipper never replaces it"),
    "archive": N_("is the archive folder {label}/; only clipper ingest writes there"),
    "original": N_("is the original recording of the event {label}; clipper never writes over it"),
    "transcript": N_("is the transcript of the event {label}; clipper never writes over it"),
    "input": N_("is {label} of this command; refusing to overwrite it"),
}
_CONTAINS: dict[Kind, str] = {
    "project": N_("contains the project folder; clipper never replaces it"),
    "archive": N_("contains the archive folder {label}/; clipper never replaces it"),
    "original": N_(
        "contains the original recording of the event {label}; clipper never replaces it"
    ),
    "transcript": N_("contains the transcript of the event {label}; clipper never replaces it"),
    "input": N_("contains {label} of this command; clipper never replaces it"),
}

SiteVerdict = Literal["empty", "ours", "legacy", "other-project", "not-a-site", "file"]


def site_verdict(
    entries: Sequence[str] | None, marker_project: str | None, project_id: str | None
) -> SiteVerdict:
    """What an existing `--out` folder is, from its top-level names (None: it is a file,
    not a folder) and the project id in its marker (None: no readable marker)."""
    if entries is None:
        return "file"
    if not entries:
        return "empty"
    if SITE_MARKER in entries:
        if marker_project is not None and marker_project == project_id:
            return "ours"
        return "other-project"
    names = set(entries)
    if "index.html" in names and names <= SITE_LAYOUT:
        return "legacy"
    return "not-a-site"


def is_site_leftover(entries: Sequence[str]) -> bool:
    """A `.site.old-*` / `.site.building-*` folder clipper made: a (partial) site's names only."""
    return set(entries) <= SITE_LAYOUT | {SITE_MARKER}


# --- filesystem helpers (only the paths they are given) -----------------------------------


def spot(path: Path, kind: Kind = "input", label: str = "") -> Spot:
    resolved = Path(os.path.realpath(path))
    try:
        st = os.stat(resolved)
        ident: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except OSError:
        ident = None
    return Spot(resolved, ident, kind, label)


def refuse_clash(
    output: Path,
    protected: Sequence[Spot],
    *,
    hint: str,
    replaces_folder: bool = False,
) -> None:
    problem = clash(spot(output), protected, replaces_folder=replaces_folder)
    if problem is not None:
        raise GuardError(problem, path=output, hint=hint)


def inputs(named: Iterable[tuple[Path | None, str]]) -> list[Spot]:
    return [spot(path, "input", label) for path, label in named if path is not None]


def check_parent(output: Path, *, parents: bool) -> None:
    """A missing folder is made only when asked for: a typo must not grow a new folder tree."""
    folder = output.parent
    if folder.is_dir() or parents:
        return
    if folder.exists():
        raise GuardError(_("is not a folder"), path=folder, hint=_("choose another place"))
    raise GuardError(
        _("the folder does not exist"),
        path=folder,
        hint=_("check the path, or add --parents to create it"),
    )


def site_facts(folder: Path) -> tuple[list[str] | None, str | None]:
    """site_verdict's inputs for an existing `folder`: its top-level names and marker."""
    if not folder.is_dir():
        return None, None
    entries = [p.name for p in folder.iterdir()]
    return entries, read_marker(folder)


def read_marker(folder: Path) -> str | None:
    """The project id in a site's marker file, or None."""
    try:
        data = json.loads((folder / SITE_MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    project = data.get("project") if isinstance(data, dict) else None
    return project if isinstance(project, str) else None


def read_project_id(project: Path) -> str | None:
    try:
        text = (project / PROJECT_ID_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def project_id(project: Path) -> str:
    """The project's random id, made once: a site names its project by it, never by a path
    (the site is public)."""
    known = read_project_id(project)
    if known is not None:
        return known
    made = secrets.token_hex(16)
    atomic_write_text(project / PROJECT_ID_FILE, made + "\n")
    return made


def write_marker(site: Path, project: Path) -> None:
    marker = {"clipper": "site", "project": project_id(project)}
    atomic_write_text(site / SITE_MARKER, json.dumps(marker) + "\n")


def refuse_inside_site(project: Path, *, hint: str) -> None:
    """A project inside a published site would be lost (or published) with it: publish
    replaces the whole site."""
    resolved = Path(os.path.realpath(project))
    for folder in (resolved, *resolved.parents):
        if (folder / SITE_MARKER).is_file():
            raise GuardError(
                _(
                    "is inside the published site {folder}, which publish replaces as a whole"
                ).format(folder=folder),
                path=project,
                hint=hint,
            )
