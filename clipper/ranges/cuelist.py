"""The recording's transcript as staff use it to choose clips: read it, list and search cues.

Transcripts are read by `clipper.subtitles.read_subtitles` (WebVTT or SRT). Each listed cue
shows the reference a ranges line uses for it (`#cue-12`, or `#N` for cues without an id).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from clipper.errors import ClipperError
from clipper.ranges.selection import cue_ref, normalize
from clipper.subtitles.model import Cue
from clipper.timecode import TimecodeError, format_time, parse_time


@dataclass(frozen=True)
class CueLine:
    """One cue as listed: start, reference, speaker, plain text and where the search hit."""

    start_ms: int
    end_ms: int
    ref: str
    speaker: str | None
    text: str
    hits: tuple[tuple[int, int], ...] = ()  # character spans of `text` that match

    def format(self, ref_width: int = 0) -> str:
        speaker = f"{self.speaker}: " if self.speaker else ""
        return f"{format_time(self.start_ms)}  {self.ref:<{ref_width}}  {speaker}{self.text}"


def parse_bound(text: str | None, option: str) -> int | None:
    """A `--from`/`--to` time, or None; ClipperError naming the option if unreadable."""
    if text is None:
        return None
    try:
        return parse_time(text)
    except TimecodeError as exc:
        raise ClipperError(f"{option}: {exc}") from exc


def list_cues(
    cues: list[Cue],
    *,
    start_ms: int | None = None,
    end_ms: int | None = None,
    grep: str | None = None,
) -> list[CueLine]:
    """The cues overlapping [start_ms, end_ms) whose text (or speaker) contains `grep`.

    The search ignores case and runs of spaces, like phrase selection in a ranges file.
    """
    # One Unicode form for the search and the shown text, so a highlight finds `ü` whether
    # it was typed (or written into the file) as one character or as `u` + a combining mark.
    grep = unicodedata.normalize("NFC", grep.strip()) if grep else None
    pattern = _pattern(grep) if grep else None
    wanted = normalize(grep) if grep else ""
    lines: list[CueLine] = []
    for position, cue in enumerate(cues, start=1):
        if start_ms is not None and cue.end_ms <= start_ms and cue.start_ms < start_ms:
            continue
        if end_ms is not None and cue.start_ms >= end_ms:
            continue
        text, speaker = unicodedata.normalize("NFC", cue.plain_text), cue.voice
        hits: tuple[tuple[int, int], ...] = ()
        if pattern is not None:
            hits = tuple(m.span() for m in pattern.finditer(text))
            if not hits and wanted not in normalize(f"{speaker or ''} {text}"):
                continue
        lines.append(CueLine(cue.start_ms, cue.end_ms, cue_ref(cue, position), speaker, text, hits))
    return lines


def _pattern(grep: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in grep.split()), re.IGNORECASE)
