"""The write guard: every path a command is about to write is checked here first.

Nothing a user types may destroy data. Before any work starts, a command asks the guard
about its outputs; the guard refuses, with one line naming the path, an output that is (or,
for a folder that gets replaced, contains) the project folder, `recordings/`,
`transcripts/`, an event's original recording or transcript, or an input of the same
command, and a site folder that holds anything but a clipper site of this project.

The rules (`clash`, `site_verdict`) are pure: they compare `Spot`s, paths already looked
up. The lookups (`spot`, `protected_in`, `projects_around`) touch the filesystem.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from clipper.archive.event import EVENT_FILE, RECORDINGS
from clipper.errors import ClipperError
from clipper.files.atomic import atomic_write_text

TRANSCRIPTS = "transcripts"
SITE_MARKER = ".clipper-site.json"
PROJECT_ID_FILE = ".clipper-id"
# What render_site and the builder write at the top of a site, and nothing else.
SITE_LAYOUT = frozenset(
    {"index.html", "events", "static", "feed.xml", "barrierefreiheit.html", "datenschutz.html"}
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
            return _IS[p.kind].format(label=p.label)
    for p in protected:
        if p.kind == "archive" and inside(output, p):
            return f"is inside the archive folder {p.label}/; only clipper ingest writes there"
        if (replaces_folder or p.kind in ("project", "archive")) and inside(p, output):
            return _CONTAINS[p.kind].format(label=p.label)
    return None


_IS: dict[Kind, str] = {
    "project": "is the project folder; clipper never replaces it",
    "archive": "is the archive folder {label}/; only clipper ingest writes there",
    "original": "is the original recording of the event {label}; clipper never writes over it",
    "transcript": "is the transcript of the event {label}; clipper never writes over it",
    "input": "is {label} of this command; refusing to overwrite it",
}
_CONTAINS: dict[Kind, str] = {
    "project": "contains the project folder; clipper never replaces it",
    "archive": "contains the archive folder {label}/; clipper never replaces it",
    "original": "contains the original recording of the event {label}; clipper never replaces it",
    "transcript": "contains the transcript of the event {label}; clipper never replaces it",
    "input": "contains {label} of this command; clipper never replaces it",
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


# --- lookups ------------------------------------------------------------------------------


def spot(path: Path, kind: Kind = "input", label: str = "") -> Spot:
    resolved = Path(os.path.realpath(path))
    try:
        st = os.stat(resolved)
        ident: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except OSError:
        ident = None
    return Spot(resolved, ident, kind, label)


def projects_around(paths: Iterable[Path]) -> list[Path]:
    """Project folders (holding `recordings/`) above the given paths and the working folder."""
    found: dict[Path, None] = {}
    for path in [*paths, Path.cwd()]:
        resolved = Path(os.path.realpath(path))
        for folder in [resolved, *resolved.parents]:
            if (folder / RECORDINGS).is_dir():
                found[folder] = None
    return list(found)


def protected_in(project: Path) -> list[Spot]:
    """The project folder, its archive folders and every event's recording and transcript.

    event.toml is read leniently here: a broken one is reported by the commands that use it.
    """
    spots = [spot(project, "project")]
    for area in (RECORDINGS, TRANSCRIPTS):
        if (project / area).is_dir():
            spots.append(spot(project / area, "archive", area))
    root = project / RECORDINGS
    if not root.is_dir():
        return spots
    for folder in sorted(root.iterdir()):
        try:
            data = tomllib.loads((folder / EVENT_FILE).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for key, kind in (("recording", "original"), ("transcript", "transcript")):
            value = data.get(key)
            if not isinstance(value, str):
                continue
            named = Path(value).expanduser()
            for place in [named] if named.is_absolute() else [folder / named, project / named]:
                if place.exists():
                    spots.append(spot(place, kind, folder.name))  # type: ignore[arg-type]
    return spots


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
        raise GuardError("is not a folder", path=folder, hint="choose another place")
    raise GuardError(
        "the folder does not exist",
        path=folder,
        hint="check the path, or add --parents to create it",
    )


# --- the commands' checks -----------------------------------------------------------------


def check_clip_output(
    output: Path,
    *,
    source: Path,
    ranges: Path | None = None,
    subtitles: Path | None = None,
    parents: bool = False,
) -> None:
    """`clipper cut -o`: the clip, and the .vtt beside it, over nothing but an earlier clip."""
    given = inputs(
        [(source, "the recording"), (ranges, "the ranges file"), (subtitles, "the subtitles file")]
    )
    protected = [*given, *_around([source, output])]
    hint = "choose another name, e.g. -o clip.mp4"
    refuse_clash(output, protected, hint=hint)
    if subtitles is not None:
        refuse_clash(output.with_suffix(".vtt"), protected, hint=hint)
    check_parent(output, parents=parents)


def check_subtitles_target(target: Path, *, source: Path) -> None:
    """`clipper subtitles convert`: never over the input, an original or the archive (a
    missing folder is made, as before: a subtitle file is small and easily found)."""
    protected = [*inputs([(source, "the subtitle file")]), *_around([source, target])]
    refuse_clash(target, protected, hint="write to another name, e.g. untertitel.srt")


def check_ingest(project: Path) -> None:
    """`clipper ingest`: the project must not lie inside another project's archive."""
    outer = [s for p in projects_around([project]) for s in protected_in(p)]
    here = spot(project)
    for s in outer:
        if s.kind == "archive" and inside(here, s):
            raise GuardError(
                f"is inside the archive folder {s.label}/ of another project",
                path=project,
                hint="give the project folder (the one holding recordings/) with --project",
            )


def _around(paths: Sequence[Path]) -> list[Spot]:
    return [s for p in projects_around(paths) for s in protected_in(p)]


def check_site_target(project: Path, out_dir: Path, *, parents: bool = True) -> None:
    """`clipper publish --out`: only a new or empty folder, or a site of this project, is
    replaced; never the project, its archive, an original or someone's other files."""
    protected = _around([project, out_dir])
    hint = "choose a new or empty folder, e.g. --out site"
    refuse_clash(out_dir, protected, hint=hint, replaces_folder=True)
    if not out_dir.exists() and not out_dir.is_symlink():
        check_parent(out_dir, parents=parents)
        return
    verdict = site_verdict(*_site_facts(out_dir), read_project_id(project))
    if verdict == "file":
        raise GuardError("is a file, not a folder", path=out_dir, hint=hint)
    if verdict == "other-project":
        raise GuardError(
            "is the site of another clipper project; refusing to replace it",
            path=out_dir,
            hint="publish this project to a folder of its own, e.g. --out site-neu",
        )
    if verdict == "not-a-site":
        raise GuardError(
            "is not empty and not a clipper site; refusing to replace what is in it",
            path=out_dir,
            hint=hint,
        )


def _site_facts(folder: Path) -> tuple[list[str] | None, str | None]:
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


def check_demo(project: Path, event_dir: Path, transcript: Path, *, title: str) -> None:
    """`clipper demo`: it rewrites only its own event, and publishes to the project's site/."""
    hint = "run clipper demo in a new, empty folder"
    if event_dir.exists() and _event_title(event_dir) != title:
        raise GuardError(
            "an event with the demo's name exists and is not the demo; refusing to replace it",
            path=event_dir,
            hint=hint,
        )
    if transcript.exists() and not event_dir.exists():
        raise GuardError(
            "a transcript with the demo's name exists; refusing to replace it",
            path=transcript,
            hint=hint,
        )
    check_site_target(project, project / "site", parents=True)


def _event_title(folder: Path) -> object:
    try:
        return tomllib.loads((folder / EVENT_FILE).read_text(encoding="utf-8-sig")).get("title")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
