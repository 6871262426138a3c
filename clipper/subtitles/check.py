"""`clipper subtitles check`: what a subtitle file holds, as a list for people or as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clipper.i18n import _, ngettext
from clipper.subtitles.convert import speaker_prefixes
from clipper.subtitles.model import Cue, Track
from clipper.subtitles.problems import Warn, settle
from clipper.subtitles.read import parse_subtitles
from clipper.timecode import format_time


@dataclass(frozen=True)
class Checked:
    track: Track
    kind: str  # "WebVTT, UTF-8"
    skipped: int  # cues left out (lenient reading only; strict reading raises instead)
    speaker_prefixes: list[str]  # `Name:` starting lines of several cues (Zoom), not voices


def check_subtitles(path: Path, *, lenient: bool = False, warn: Warn | None = None) -> Checked:
    """Read `path` as read_subtitles does, keeping what the summary line needs."""
    parsed = parse_subtitles(path)
    track = settle(parsed, path, lenient=lenient, warn=warn)
    return Checked(track, parsed.kind, len(parsed.problems), speaker_prefixes(track))


def cues_json(track: Track) -> dict[str, Any]:
    """`{"cues": [{"id", "start_ms", "end_ms", "text"}]}`, the text as in the file."""
    return {
        "cues": [
            {"id": c.id, "start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text}
            for c in track.cues
        ]
    }


def cue_lines(track: Track) -> list[str]:
    """One line per cue: times, id, speaker and the text a viewer reads."""
    return [_cue_line(cue) for cue in track.cues]


def _cue_line(cue: Cue) -> str:
    times = f"{format_time(cue.start_ms)} --> {format_time(cue.end_ms)}"
    ident = f"  [{cue.id}]" if cue.id else ""
    speaker = f"{cue.voice}: " if cue.voice else ""
    return f"{times}{ident}  {speaker}{cue.plain_text}"


def summary(checked: Checked, path: Path) -> str:
    track = checked.track
    speakers = {c.voice for c in track.cues if c.voice}
    count = len(track.cues)
    parts = [ngettext("{count} cue", "{count} cues", count).format(count=count)]
    if track.cues:
        first = min(c.start_ms for c in track.cues)
        last = max(c.end_ms for c in track.cues)
        parts.append(
            _("{first} to {last}").format(first=format_time(first), last=format_time(last))
        )
    if speakers:
        parts.append(
            ngettext("{count} speaker", "{count} speakers", len(speakers)).format(
                count=len(speakers)
            )
        )
    if checked.skipped:
        parts.append(
            ngettext("{count} cue skipped", "{count} cues skipped", checked.skipped).format(
                count=checked.skipped
            )
        )
    return f"{path}: {checked.kind}, " + ", ".join(parts)
