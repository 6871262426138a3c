"""Naming an event the way staff do: by its folder, its event.toml or just its name.

`clipper transcript stadtrat-mai` and `clipper ranges check stadtrat-mai` work from any
folder inside the project (found by walking up, clipper/archive/project.py), so the
commands clipper prints as hints work when pasted wherever the user is.
"""

from __future__ import annotations

import os
from pathlib import Path

from clipper.archive.eventfile import EVENT_FILE, RECORDINGS, peek_event
from clipper.archive.project import find_project
from clipper.errors import EventError
from clipper.i18n import _


def event_named(path: Path) -> Path | None:
    """The event folder `path` names (folder, event.toml or event name), or None."""
    if path.name == EVENT_FILE and path.is_file():
        return path.parent
    if path.is_dir() and (path / EVENT_FILE).is_file():
        return path
    if not path.exists() and len(path.parts) == 1 and not path.suffix:
        folder = find_project() / RECORDINGS / path.name
        if (folder / EVENT_FILE).is_file():
            return Path(os.path.normpath(folder))
    return None


def project_of(folder: Path) -> Path:
    """The project an event folder belongs to, relative as `folder` is (`foerderung` seen
    from inside recordings/ belongs to `..`)."""
    up = 2 if folder.resolve().parent.name == RECORDINGS else 1
    return Path(os.path.normpath(folder.joinpath(*[os.pardir] * up)))


def transcript_named(path: Path) -> Path:
    """The transcript `path` names: the file itself, or the transcript of the event it
    names (looked up as event.toml says: the event's folder, then the project's)."""
    folder = event_named(path)
    if folder is None:
        return path
    data = peek_event(folder) or {}
    value = data.get("transcript")
    if not isinstance(value, str) or not value.strip():
        raise EventError(
            _("the event has no transcript"),
            path=folder / EVENT_FILE,
            hint=_('add transcript = "....vtt", or run: clipper transcribe {event}').format(
                event=folder.name
            ),
        )
    project = project_of(folder)
    for place in (folder / value, project / value):
        if place.is_file():
            return place
    return folder / value  # reading it names the missing file
