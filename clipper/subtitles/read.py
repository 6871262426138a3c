"""The one way into clipper for a subtitle file: WebVTT or SRT, in any common encoding.

The format is sniffed from the content (a renamed SRT is still SRT); the suffix decides only
when the content does not. See encoding.py for how the bytes become text and problems.py for
what strict and lenient reading do with cues a player would skip.
"""

from __future__ import annotations

from pathlib import Path

from clipper.errors import SubtitleError
from clipper.files.atomic import read_user_file
from clipper.files.text import UndecodableError, decode_text, office_document
from clipper.i18n import _
from clipper.subtitles.model import Track
from clipper.subtitles.problems import Parsed, Problem, Warn, settle
from clipper.subtitles.srt import looks_like_srt, parse_srt
from clipper.subtitles.webvtt_parser import parse_webvtt


def read_subtitles(path: Path, *, lenient: bool = False, warn: Warn | None = None) -> Track:
    """The cues of a WebVTT or SRT file.

    Strict (default): SubtitleError naming the file and line of the first cue a player would
    skip. Lenient: the readable cues, and `warn("file:line: why")` once per skipped cue.
    Notes (a Teams-style time read, a file decoded as Windows-1252) go to `warn` either way.
    """
    return settle(parse_subtitles(path), path, lenient=lenient, warn=warn)


def parse_subtitles(path: Path) -> Parsed:
    """Everything read_subtitles knows about a file, without deciding what to do about it."""
    data = read_user_file(path, SubtitleError, _("subtitle file"))
    document = office_document(data, path.suffix)
    if document is not None:
        raise SubtitleError(
            _("is {name}, not a subtitle file").format(name=_(document.name)),
            path=path,
            hint=_("give the transcript as WebVTT (.vtt) or SRT; Teams and Zoom offer it as .vtt"),
        )
    try:
        decoded = decode_text(data)
    except UndecodableError as exc:
        binary = b"\x00" in data[:4096]  # a recording or another binary file, not text
        hint = _("give the transcript (.vtt or .srt) instead") if binary else _("save it as UTF-8")
        raise SubtitleError(
            _("cannot read the text: {exc}").format(exc=exc), path=path, hint=hint
        ) from None
    text = decoded.text
    is_srt = not text.lstrip(" \t\r\n").startswith("WEBVTT") and (
        looks_like_srt(text) or path.suffix.lower() == ".srt"
    )
    if not is_srt:
        parsed = parse_webvtt(text, path)
    else:
        parsed = parse_srt(text)
        if not parsed.track.cues and not parsed.problems:
            raise SubtitleError(_("the subtitle file holds no cues"), path=path)
    notes = parsed.notes
    if decoded.encoding in ("Windows-1252", "Mac OS Roman"):
        read_as = _("not UTF-8: read as {encoding} (clipper writes UTF-8)").format(
            encoding=decoded.encoding
        )
        notes = [Problem(1, read_as), *notes]
    kind = f"{'SRT' if is_srt else 'WebVTT'}, {decoded.encoding}"
    return Parsed(parsed.track, parsed.problems, notes, kind)
