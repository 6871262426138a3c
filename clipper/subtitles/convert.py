"""`clipper subtitles convert`: WebVTT <-> SRT, saying what the target format cannot hold.

The output format follows the output's suffix. SRT has no ids, cue settings (but for the
nine `{\anN}` positions), STYLE, REGION or NOTE blocks: converting to SRT drops them and
returns a note for each kind dropped, so nothing is lost silently. Speakers survive both
ways: `<v Name>` becomes `Name: ` in SRT. Going back, a colon alone does not make a speaker
("Hinweis: ..."), so `Name: ` becomes a voice span only for the names the user gives
(`--speaker`); without them, prefixes that look like speakers are reported in a note.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from clipper.errors import SubtitleError
from clipper.files.atomic import atomic_write_text
from clipper.i18n import _
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
    speaker_prefixes: list[str] = field(default_factory=list)  # `Name:` seen, not marked
    speakers_not_found: list[str] = field(default_factory=list)  # given, but no line has them


def convert_subtitles(
    source: Path,
    target: Path,
    *,
    lenient: bool = False,
    warn: Warn | None = None,
    speakers: Sequence[str] = (),
) -> Converted:
    """Read `source` (WebVTT or SRT) and write it to `target` as the format its suffix names.

    `speakers`: names whose `Name: ` line prefixes become WebVTT voice spans (`<v Name>`).
    """
    kind = FORMATS.get(target.suffix.lower())
    if kind is None:
        raise SubtitleError(
            _("cannot tell the output format from the suffix {value!r}").format(
                value=target.suffix or "(none)"
            ),
            path=target,
            hint=_("name the output .vtt or .srt"),
        )
    if _same_file(source, target):
        raise SubtitleError(
            _("the output is the input file; refusing to overwrite it"),
            path=target,
            hint=_("write to another name"),
        )
    for name in speakers:
        check_speaker_name(name)  # before reading: a bad name is refused at once
    track = read_subtitles(source, lenient=lenient, warn=warn)
    prefixes: list[str] = []
    not_found: list[str] = []
    if kind == "SRT":
        text, dropped = format_srt(track), dropped_in_srt(track)
    else:
        if speakers:  # the user chose; the other prefixes are text ("Hinweis: ...")
            track, not_found = mark_speakers(track, speakers)
        else:
            prefixes = speaker_prefixes(track)
        text, dropped = format_vtt(track), []
    atomic_write_text(target, text)
    return Converted(target, kind, len(track.cues), dropped, prefixes, not_found)


def check_speaker_name(name: str) -> None:
    """A name fit for `<v Name>`: not empty, one line, no tag characters (`&` is escaped)."""
    if not name.strip() or any(ch in name for ch in "<>\n\r"):
        raise SubtitleError(
            _("{name!r} cannot be a speaker name").format(name=name),
            hint=_("give the name as it appears before the colon, e.g. --speaker 'Anna Berger'"),
        )


def mark_speakers(track: Track, speakers: Sequence[str]) -> tuple[Track, list[str]]:
    """The track with `Name: ` prefixes of the given names as voice spans, and the names
    that start no line (most likely mistyped)."""
    for name in speakers:
        check_speaker_name(name)
    cues = [replace(c, text=voices_from_prefixes(c.text, speakers)) for c in track.cues]
    used = {c.voice for c in cues if c.voice}
    missing = [n for n in speakers if _nfc(n.strip()) not in used]
    return replace(track, cues=cues), missing


def voices_from_prefixes(text: str, speakers: Sequence[str]) -> str:
    """`Anna: Hallo` -> `<v Anna>Hallo` for the given names; a voice runs until the next
    named line or the cue's end (a cue may hold a dialogue: one voice span per speaker).

    Names match however the file spells `&` (`&` or `&amp;`) and umlauts (composed or not:
    the matched lines are written composed, NFC)."""
    names = sorted({_nfc(n.strip()) for n in speakers}, key=len, reverse=True)  # longest first
    patterns = [(n, re.compile(rf"{_name_pattern(n)}[ \t]*:[ \t]*")) for n in names]
    lines: list[str] = []
    open_voice = False
    for line in text.split("\n"):
        composed = _nfc(line)
        found = next(((n, m) for n, p in patterns if (m := p.match(composed))), None)
        if found is None:
            lines.append(line)
            continue
        if open_voice:
            lines[-1] += "</v>"
        name, match = found
        lines.append(f"<v {html.escape(name, quote=False)}>{composed[match.end() :]}")
        open_voice = True
    return "\n".join(lines)


def _name_pattern(name: str) -> str:
    return "(?:&|&amp;)".join(re.escape(part) for part in name.split("&"))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# a name as conference tools write it: `Anna Berger`, `Müller, Jürgen (Stadt Lünen)`, `A & B`
_PREFIX = re.compile(r"^([^\W\d_][\w.'’ ,&()-]{0,50}?)[ \t]*:[ \t]", re.MULTILINE)


def speaker_prefixes(track: Track) -> list[str]:
    """Names before a colon that start lines of at least two cues without a voice span:
    probably speakers, which the user may mark with --speaker (most frequent first)."""
    counts: Counter[str] = Counter()
    for cue in track.cues:
        if "<v" not in cue.text:
            found = _PREFIX.finditer(_nfc(html.unescape(cue.text)))
            counts.update({m.group(1).strip() for m in found})
    return [name for name, n in counts.most_common() if n >= 2]


def dropped_in_srt(track: Track) -> list[str]:
    """What of `track` SRT cannot hold, one line per kind."""
    dropped = []
    ids = [c.id for n, c in enumerate(track.cues, start=1) if c.id and c.id != str(n)]
    if ids:
        dropped.append(
            _("{ids_count} cue id(s) such as {ids!r} (SRT numbers cues 1, 2, ...)").format(
                ids_count=len(ids), ids=ids[0]
            )
        )
    settings = [c for c in track.cues if c.settings and c.settings not in AN_SETTINGS]
    if settings:
        dropped.append(
            _("the cue settings of {settings_count} cue(s), e.g. {settings!r}").format(
                settings_count=len(settings), settings=settings[0].settings
            )
        )
    for name, blocks in (("STYLE", track.styles), ("REGION", track.regions)):
        if blocks:
            dropped.append(
                _("{blocks_count} {name} block(s)").format(blocks_count=len(blocks), name=name)
            )
    if track.notes:
        dropped.append(_("{notes_count} NOTE comment(s)").format(notes_count=len(track.notes)))
    if track.title or track.header:
        dropped.append(_("the WebVTT header"))
    return dropped


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()
