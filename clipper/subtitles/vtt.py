"""Reading and writing WebVTT files.

Parsing is webvtt-py's (strict mode, so malformed blocks are not silently dropped); clipper
adds a line-numbered check first, because a user must be told *where* a file is broken.
Times are taken from webvtt-py's Timestamp fields as whole milliseconds (its
`start_in_seconds` is truncated to whole seconds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from clipper.errors import SubtitleError
from clipper.fsutil import atomic_write_text, read_user_file
from clipper.subtitles.model import Cue
from clipper.timecode import format_time

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{2}:\d{2}\.\d{3})\s+-->\s+(?P<end>(?:\d+:)?\d{2}:\d{2}\.\d{3})"
    r"(?P<settings>(?:\s+.*)?)$"
)


@dataclass(frozen=True)
class Track:
    """A subtitle file's cues plus the STYLE blocks and header NOTEs that travel with them."""

    cues: list[Cue]
    styles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _ms(timestamp: Any) -> int:
    hours, minutes, seconds, millis = timestamp.to_tuple()
    return int(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)


def _decode(path: Path) -> str:
    data = read_user_file(path, SubtitleError, "subtitle file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubtitleError(
            "the file is not UTF-8 text", path=path, hint="save it as UTF-8 (WebVTT requires it)"
        ) from exc


def check_timings(text: str, path: Path) -> None:
    """Find the first broken cue and name its line (webvtt-py does not say where).

    Catches malformed timing lines, cues that end before they start, and blocks with no
    timing line at all, which a browser silently skips.
    """
    lines = text.splitlines()
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise SubtitleError("not a WebVTT file: the first line must be WEBVTT", path=path, line=1)
    for number, block in _blocks(lines):
        if number == 1:
            continue  # the header block
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        timing_at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if timing_at is None:
            raise SubtitleError(
                f"block {head[:40]!r} has no cue timing line, so players would skip it",
                path=path,
                line=number,
                hint="add a line like 00:01:02.500 --> 00:01:04.000 or remove the block",
            )
        _check_timing_line(block[timing_at], path, number + timing_at)


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blocks separated by blank lines, each with the number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _check_timing_line(line: str, path: Path, number: int) -> None:
    match = _TIMING.match(line)
    if not match:
        raise SubtitleError(
            f"malformed cue timing {line.strip()!r}",
            path=path,
            line=number,
            hint="write it like 00:01:02.500 --> 00:01:04.000",
        )
    start = _clock_ms(match["start"])
    end = _clock_ms(match["end"])
    if end < start:
        raise SubtitleError(
            f"the cue ends ({format_time(end)}) before it starts ({format_time(start)})",
            path=path,
            line=number,
        )


def _clock_ms(text: str) -> int:
    parts = text.split(":")
    seconds, millis = parts[-1].split(".")
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    return ((hours * 60 + minutes) * 60 + int(seconds)) * 1000 + int(millis)


def read_vtt(path: Path) -> Track:
    """Read a WebVTT file into cues (raw text and settings kept)."""
    text = _decode(path)
    check_timings(text, path)
    try:
        parsed = webvtt.from_string(text, strict=True)
    except (MalformedCaptionError, MalformedFileError) as exc:
        raise SubtitleError(f"malformed WebVTT: {exc}", path=path) from exc
    cues = [
        Cue(
            start_ms=_ms(caption.start_time),
            end_ms=_ms(caption.end_time),
            text=caption.raw_text,
            id=caption.identifier or "",
            settings=str(caption.settings) if caption.settings else "",
        )
        for caption in parsed.captions
    ]
    styles = ["\n".join(style.lines) for style in getattr(parsed, "styles", [])]
    return Track(cues=cues, styles=styles)


def format_vtt(track: Track) -> str:
    """WebVTT text for a track (UTF-8, `\\n` line ends)."""
    out = ["WEBVTT", ""]
    for note in track.notes:
        # A NOTE ends at a blank line and must not contain "-->": fold it onto one line.
        out += ["NOTE " + " ".join(note.replace("-->", "->").split()), ""]
    for style in track.styles:
        out += ["STYLE", style, ""]
    for cue in track.cues:
        if cue.id:
            out.append(cue.id)
        timing = f"{format_time(cue.start_ms)} --> {format_time(cue.end_ms)}"
        out.append(f"{timing} {cue.settings}".rstrip())
        out.append(cue.text)
        out.append("")
    return "\n".join(out)


def write_vtt(track: Track, path: Path) -> None:
    """Write a track atomically (temp file, then rename)."""
    atomic_write_text(path, format_vtt(track))
