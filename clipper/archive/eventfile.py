"""The one place that reads and writes `event.toml` files and knows the project's layout.

Three ways to read: `read_event_file` (valid TOML or one EventError line: for load_event
and verify, which report what is wrong), the same data unchecked by key (verify needs only
`recording` and `[original]`), and `peek_event` for lookups that must go on when a file is
broken (the write guard). All go through clipper.files.toml: regular files only, size-bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clipper.errors import ClipperError, EventError
from clipper.files.toml import load_toml, load_toml_text, parse_toml, toml_string
from clipper.files.toml import unknown_key as toml_unknown_key
from clipper.i18n import _

EVENT_FILE = "event.toml"
RECORDINGS = "recordings"
TRANSCRIPTS = "transcripts"


def read_event_file(folder: Path) -> tuple[dict[str, Any], str]:
    """The data and text of `folder`'s event.toml, or EventError naming file and line."""
    return load_toml_text(folder / EVENT_FILE, EventError, EVENT_FILE)


def peek_event(folder: Path) -> dict[str, Any] | None:
    """`folder`'s event.toml as far as it reads, or None: never raises.

    Control characters in its texts are let through: a lookup that protects the files an
    event names must still see them when the rest of the file is wrong.
    """
    try:
        return load_toml(folder / EVENT_FILE, EventError, EVENT_FILE, refuse_controls=False)
    except ClipperError:
        return None


def event_folders(root: Path) -> list[Path]:
    """The event folders under `recordings/`, sorted (hidden ones are ingests in progress)."""
    return [f for f in sorted(root.iterdir()) if f.is_dir() and not f.name.startswith(".")]


def named_places(value: str, folder: Path, project_dir: Path) -> list[Path]:
    """Where a file named in event.toml may be: absolute as is, else the event folder, then
    the project folder."""
    named = Path(value).expanduser()
    return [named] if named.is_absolute() else [folder / named, project_dir / named]


def unknown_key(key: str, known: set[str], path: Path, where: str) -> ClipperError:
    return toml_unknown_key(key, known, path, where, EventError)


def type_name(value: Any) -> str:
    """What kind of TOML value `value` is, for "must be a text, not a number"."""
    names = {bool: "true/false", int: _("a number"), float: _("a number"), str: _("a text")}
    names |= {list: _("a list"), dict: _("a table"), dt.date: _("a date")}
    names |= {dt.datetime: _("a date and time")}
    return names.get(type(value), type(value).__name__)


def date_line(date: dt.date, *, confirmed: bool) -> str:
    if confirmed:
        return f"date = {date.isoformat()}"
    return f'date = "{date.isoformat()}"  # Datum der Datei: prüfen, dann ohne Anführungszeichen'


def event_toml(
    *,
    title: str,
    date: dt.date,
    recording: str,
    date_confirmed: bool = True,
    transcript: str | None = None,
    language: str | None = None,
    description: str | None = None,
    credits: str | None = None,
    plain_language: str | None = None,
    visual_description: str | None = None,
    clips: Sequence[tuple[str, str]] = (),
    header: Sequence[str] = (),
    comment: Sequence[str] = (),
    original: Sequence[str] = (),
) -> str:
    """The text of an event.toml, for ingest and the demo alike.

    A date not `date_confirmed` (taken from the file) is written in quotes, which the
    preflight reads as unchecked; writing it without quotes is all that confirms it.

    `header`: comment lines at the top; `comment`: a commented block after the keys (an
    example clip); `clips`: (title, ranges); `original`: the `[original]` table's lines.
    Markdown texts are written as multi-line strings, so staff can read and edit them.
    """
    lines = [*header, f"title = {toml_string(title)}", date_line(date, confirmed=date_confirmed)]
    for key, value in (("language", language), ("recording", recording)):
        if value is not None:
            lines.append(f"{key} = {toml_string(value)}")
    if transcript is not None:
        lines.append(f"transcript = {toml_string(transcript)}")
    markdown = [
        ("description", description),
        ("credits", credits),
        ("plain_language", plain_language),
        ("visual_description", visual_description),
    ]
    lines += [f"{k} = {toml_string(v, multiline=True)}" for k, v in markdown if v is not None]
    sections = [list(comment)] if comment else []
    sections += [
        ["[[clips]]", f"title = {toml_string(t)}", f"ranges = {toml_string(r)}"] for t, r in clips
    ]
    sections += [list(original)] if original else []
    for section in sections:
        lines += ["", *section]
    text = "\n".join(lines) + "\n"
    # What we write must read back. Control characters are the callers' to refuse (ingest
    # refuses them in what a user gives); here they only must not break the TOML.
    parse_toml(text, Path(EVENT_FILE), EventError, refuse_controls=False)
    return text
