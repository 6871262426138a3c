"""event.toml's `transcript_status` and `names`, and pointing an event at a new transcript.

`transcript_status = "automatisch"` marks a transcript made by `clipper transcribe`: the
page then says "Automatisch erstellte Untertitel" and publish lists it, until staff have
checked it and write `transcript_status = "geprüft"`. `names` (a list of texts: speakers,
places, rare words) helps the recogniser spell them.

`set_transcript` changes only the lines of the two keys (comments and everything else stay
as staff wrote them), checks that the file then reads as before apart from those keys, and
writes it atomically.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from clipper.errors import EventError
from clipper.files.atomic import atomic_write_text
from clipper.files.toml import toml_string
from clipper.i18n import _

AUTOMATIC = "automatisch"
REVIEWED = "geprüft"
STATUSES = (AUTOMATIC, REVIEWED)


def read_status(data: dict[str, Any], path: Path) -> str | None:
    value = data.get("transcript_status")
    if value is None:
        return None
    if value not in STATUSES:
        raise EventError(
            _("transcript_status = {value!r} is not one of {join}").format(
                value=value, join=", ".join(map(repr, STATUSES))
            ),
            path=path,
            hint=_('write transcript_status = "{REVIEWED}" once the transcript is checked').format(
                REVIEWED=REVIEWED
            ),
        )
    return str(value)


def read_names(data: dict[str, Any], path: Path) -> tuple[str, ...]:
    value = data.get("names", [])
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        raise EventError(
            _("'names' must be a list of texts"),
            path=path,
            hint=_('names = ["Anna Berger", "Verwaltungsrebellen"]'),
        )
    return tuple(n for n in value if n.strip())


_TABLE = re.compile(r"^\s*\[")


def _top_level_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines before the first table that start a key (not inside a
    multi-line string)."""
    starts: list[int] = []
    inside: str | None = None
    for index, line in enumerate(lines):
        if inside is None:
            if _TABLE.match(line):
                break
            starts.append(index)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1 and inside in (None, quote):
                inside = None if inside == quote else quote
    return starts


def _key_line(lines: list[str], starts: list[int], key: str) -> int | None:
    pattern = re.compile(rf"^\s*{key}\s*=")
    return next((i for i in starts if pattern.match(lines[i])), None)


_SIMPLE_VALUE = re.compile(r"""^(\s*\w+\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*')(\s*(?:#.*)?)$""")


def _replaced(line: str, key: str, value: str) -> str:
    """`key = value`, keeping a comment after the old value."""
    match = _SIMPLE_VALUE.match(line)
    if match:
        return f"{match[1]}{toml_string(value)}{match[3]}"
    return f"{key} = {toml_string(value)}"


def set_transcript_text(text: str, transcript: str, status: str) -> str:
    """event.toml's text with `transcript` and `transcript_status` set (pure)."""
    lines = text.splitlines()
    starts = _top_level_lines(lines)
    at = _key_line(lines, starts, "transcript")
    if at is not None:
        lines[at] = _replaced(lines[at], "transcript", transcript)
    else:
        after = _key_line(lines, starts, "recording")
        at = after + 1 if after is not None else (starts[-1] + 1 if starts else 0)
        lines.insert(at, f"transcript = {toml_string(transcript)}")
        starts = _top_level_lines(lines)
    status_at = _key_line(lines, starts, "transcript_status")
    if status_at is not None:
        lines[status_at] = _replaced(lines[status_at], "transcript_status", status)
    else:
        lines.insert(at + 1, f"transcript_status = {toml_string(status)}")
    return "\n".join(lines) + "\n"


def set_transcript(event_file: Path, transcript: str, status: str = AUTOMATIC) -> None:
    """Point event.toml at `transcript` with `status`; nothing else in the file changes."""
    old_text = event_file.read_text(encoding="utf-8-sig")
    new_text = set_transcript_text(old_text, transcript, status)
    keys = ("transcript", "transcript_status")
    try:
        old, new = tomllib.loads(old_text), tomllib.loads(new_text)
        same_rest = {k: v for k, v in old.items() if k not in keys} == {
            k: v for k, v in new.items() if k not in keys
        }
        right = new.get(keys[0]) == transcript and new.get(keys[1]) == status
    except tomllib.TOMLDecodeError:
        same_rest = right = False
    if not (same_rest and right):
        raise EventError(
            _("cannot be updated line by line (unusual layout); nothing was changed"),
            path=event_file,
            hint=_(
                'write transcript = "{transcript}" and transcript_status = "{status}" by hand'
            ).format(transcript=transcript, status=status),
        )
    atomic_write_text(event_file, new_text)
