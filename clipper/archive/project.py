"""Starting a project (`clipper init`) and finding it again from any folder inside it.

A project folder is the one holding `clipper.toml` or `recordings/`. Commands look for it
like git looks for `.git`: in the current folder, then each parent in turn, so staff can
run `clipper publish` from `recordings/<event>/` as well as from the project folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from clipper.archive.eventfile import RECORDINGS, TRANSCRIPTS
from clipper.archive.keys import SETTINGS_KEYS, Key
from clipper.errors import ArchiveError
from clipper.files.atomic import atomic_write_text
from clipper.i18n import _
from clipper.settings import SETTINGS_FILE

SITE = "site"
FOLDERS = (RECORDINGS, TRANSCRIPTS, SITE)


def is_project(folder: Path) -> bool:
    return (folder / SETTINGS_FILE).is_file() or (folder / RECORDINGS).is_dir()


def find_project(start: Path | None = None) -> Path:
    """The project folder containing `start` (default: the current folder), written
    relative to the current folder so the paths clipper prints can be pasted; `start`
    itself when no folder above it is a project (ingest then starts one there)."""
    here = Path.cwd()
    origin = (here / start) if start is not None else here
    for folder in (origin, *origin.parents):
        if is_project(folder):
            relative = os.path.relpath(folder, here)
            return Path(relative) if not relative.startswith(os.pardir * 4) else folder
    return start if start is not None else Path(".")


def settings_template() -> str:
    """clipper.toml as `clipper init` writes it: every key explained in a German comment;
    the required legal ones as placeholders publish refuses, the others commented out."""
    lines = [
        "# Einstellungen der Website. Zeilen mit # sind Kommentare.",
        "# Pflicht sind die Werte mit „BITTE AUSFÜLLEN“: ersetzen Sie den Text in den",
        "# Anführungszeichen. Bei den anderen Zeilen entfernen Sie das # am Anfang, wenn Sie",
        "# sie nutzen möchten. Erklärung aller Einstellungen: docs/einstellungen.md",
        "# Prüfen, ob alles ausgefüllt ist: clipper check",
    ]
    for table in ("site", "accessibility"):
        lines += ["", f"[{table}]"]
        lines += [line for key in SETTINGS_KEYS if key.table == table for line in _entry(key)]
    return "\n".join(lines) + "\n"


def _entry(key: Key) -> list[str]:
    comment = [f"# {key.text}"]
    if key.placeholder is not None:
        return [*comment, f"{key.name} = {key.placeholder}"]
    return [*comment, f"# {key.name} = {key.example}"]


@dataclass(frozen=True)
class InitResult:
    folder: Path
    created: list[Path]  # what init made (folders, clipper.toml); existing ones are kept


def init_project(folder: Path) -> InitResult:
    """Create `folder` (and parents) with clipper.toml and the project's folders.

    Never replaces anything: an existing clipper.toml is refused, existing folders are kept.
    """
    folder = Path(folder)
    settings = folder / SETTINGS_FILE
    if settings.exists() or settings.is_symlink():
        raise ArchiveError(
            _("there is already a project here"),
            path=settings,
            hint=_("edit it, or run `clipper init` with a new folder name"),
        )
    if folder.exists() and not folder.is_dir():
        raise ArchiveError(_("is a file, not a folder"), path=folder)
    created: list[Path] = []
    if not folder.exists():
        folder.mkdir(parents=True)
        created.append(folder)
    for name in FOLDERS:
        if not (folder / name).exists():
            (folder / name).mkdir()
            created.append(folder / name)
    atomic_write_text(settings, settings_template())
    created.append(settings)
    return InitResult(folder, created)
