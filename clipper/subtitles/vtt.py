"""Reading and writing WebVTT files.

Reading is clipper's own parser (clipper/subtitles/webvtt_parser.py: it reads a file as a
browser does and names the line of every cue a browser would skip); most callers use
clipper.subtitles.read_subtitles, which also reads SRT and other encodings.
"""

from __future__ import annotations

from pathlib import Path

from clipper.files.atomic import atomic_write_text
from clipper.subtitles.model import Track
from clipper.timecode import format_time

__all__ = ["Track", "format_vtt", "write_vtt"]


def format_vtt(track: Track) -> str:
    """WebVTT text for a track (UTF-8, `\\n` line ends)."""
    out = [f"WEBVTT {_one_line(track.title)}".rstrip()]
    out += [line for line in map(_one_line, track.header) if line and "-->" not in line]
    out.append("")
    for note in track.notes:
        out += [("NOTE " + "\n".join(_block_lines(note))).rstrip(), ""]
    for region in track.regions:
        out += ["REGION", *_block_lines(region), ""]
    for style in track.styles:
        out += ["STYLE", *_block_lines(style), ""]
    for cue in track.cues:
        if cue.id:
            out.append(cue.id)
        timing = f"{format_time(cue.start_ms)} --> {format_time(cue.end_ms)}"
        out.append(f"{timing} {cue.settings}".rstrip())
        out += _cue_lines(cue.text)
        out.append("")
    return "\n".join(out)


def write_vtt(track: Track, path: Path) -> None:
    """Write a track atomically (temp file, then rename)."""
    atomic_write_text(path, format_vtt(track))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _block_lines(text: str) -> list[str]:
    """A block's lines as WebVTT allows them: no blank lines (they end it), no "-->"."""
    lines = (line.replace("-->", "->").rstrip() for line in text.splitlines())
    return [line for line in lines if line.strip()]


def _cue_lines(text: str) -> list[str]:
    """Cue text that reads back the same: a blank line would end it, "-->" start a new cue."""
    lines = [line.replace("-->", "--&gt;") for line in text.split("\n")]
    return [line for line in lines if line] or [""]
