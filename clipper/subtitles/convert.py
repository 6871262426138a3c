"""`clipper subtitles convert`: WebVTT <-> SRT, saying what the target format cannot hold.

The output format follows the output's suffix. SRT has no ids, cue settings (but for the
nine `{\anN}` positions), STYLE, REGION or NOTE blocks: converting to SRT drops them and
returns a note for each kind dropped, so nothing is lost silently. Speakers survive both
ways: `<v Name>` becomes `Name: ` in SRT.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from clipper.errors import SubtitleError
from clipper.fsutil import atomic_write_text
from clipper.subtitles.model import Track
from clipper.subtitles.problems import Warn
from clipper.subtitles.read import read_subtitles
from clipper.subtitles.srt import AN_SETTINGS, format_srt
from clipper.subtitles.vtt import format_vtt

FORMATS = {".vtt": "WebVTT", ".srt": "SRT"}


@dataclass(frozen=True)
class Converted:
    output: Path
    format: str
    cues: int
    dropped: list[str] = field(default_factory=list)  # what the target format cannot hold


def convert_subtitles(
    source: Path, target: Path, *, lenient: bool = False, warn: Warn | None = None
) -> Converted:
    """Read `source` (WebVTT or SRT) and write it to `target` as the format its suffix names."""
    kind = FORMATS.get(target.suffix.lower())
    if kind is None:
        raise SubtitleError(
            f"cannot tell the output format from the suffix {target.suffix or '(none)'!r}",
            path=target,
            hint="name the output .vtt or .srt",
        )
    if _same_file(source, target):
        raise SubtitleError(
            "the output is the input file; refusing to overwrite it",
            path=target,
            hint="write to another name",
        )
    track = read_subtitles(source, lenient=lenient, warn=warn)
    if kind == "SRT":
        text, dropped = format_srt(track), dropped_in_srt(track)
    else:
        text, dropped = format_vtt(track), []
    atomic_write_text(target, text)
    return Converted(target, kind, len(track.cues), dropped)


def dropped_in_srt(track: Track) -> list[str]:
    """What of `track` SRT cannot hold, one line per kind."""
    dropped = []
    ids = [c.id for n, c in enumerate(track.cues, start=1) if c.id and c.id != str(n)]
    if ids:
        dropped.append(f"{len(ids)} cue id(s) such as {ids[0]!r} (SRT numbers cues 1, 2, ...)")
    settings = [c for c in track.cues if c.settings and c.settings not in AN_SETTINGS]
    if settings:
        dropped.append(f"the cue settings of {len(settings)} cue(s), e.g. {settings[0].settings!r}")
    for name, blocks in (("STYLE", track.styles), ("REGION", track.regions)):
        if blocks:
            dropped.append(f"{len(blocks)} {name} block(s)")
    if track.notes:
        dropped.append(f"{len(track.notes)} NOTE comment(s)")
    if track.title or track.header:
        dropped.append("the WebVTT header")
    return dropped


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()
