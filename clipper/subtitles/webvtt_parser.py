"""A WebVTT parser that reads a file as a browser does and says which lines it skipped.

Why not webvtt-py alone: on the 239 pairs of mozilla/vtt.js's parser corpus
(tests/data/webvtt-conformance; bench/webvtt_conformance.py measures) webvtt-py 0.6.0
matches 234 in its default mode, but only by dropping malformed blocks silently, so it
cannot say *which line* was skipped; in strict mode it matches 175 and refuses files
browsers read (unknown cue settings, `-->` without spaces, ...). This module follows
vtt.js's parser (the W3C WebVTT parsing algorithm as Firefox shipped it) line by line,
matches all 239 pairs (tests/test_conformance.py), and records a Problem(line, message,
hint) for every cue a browser would skip.

What a browser does, and so this parser: the first line must be `WEBVTT` (a BOM is removed
by the decoder); header lines run to the first blank line; a block is a NOTE, or a cue made
of an optional id line, a timing line `[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt [settings]` and
text up to a blank line or a line holding `-->` (which starts the next cue). Hours may have
any number of digits; a first field over 59 without hours is read as hours (vtt.js).

Clipper's additions, none of which changes a cue a browser reads:
- STYLE and REGION blocks are kept (Track.styles/regions), as are NOTEs and header lines.
- Teams and other tools write times like `0:01:05.2` or `0:1:5.2` (hours, one-digit fields,
  one or two fraction digits). Browsers skip such cues; clipper reads them, since the
  meaning is plain, and records a note, as the files it writes always hold full times.
- A lone numeric id followed by a blank line (YouTube) is skipped with a note instead of
  swallowing the next cue as vtt.js does (the W3C algorithm also skips only the id).
- A cue ending before it starts is a problem (browsers accept it but never show it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from clipper.errors import SubtitleError
from clipper.i18n import N_, _
from clipper.subtitles.model import Cue, Track
from clipper.subtitles.problems import Parsed, Problem, out_of_order
from clipper.timecode import format_time

_LINE_END = re.compile(r"\r\n|\r|\n")
_SIGNATURE = re.compile(r"WEBVTT(?:[ \t](?P<title>.*))?")
# JavaScript's \s, which vtt.js uses between the parts of a timing line.
_SPACE = "\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACES = re.compile(f"[{_SPACE}]*")
_TIMESTAMP = re.compile(r"([0-9]+):([0-9]{2})(:[0-9]{2})?\.([0-9]{3})")
_LOOSE_TIMESTAMP = re.compile(r"([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})\.([0-9]{1,3})(?![0-9])")
_TIMESTAMP_TAIL = re.compile(f"[^{_SPACE}a-zA-Z-]*")
_NOTE = re.compile(r"NOTE(?:$|[ \t])")
_HEADER_BLOCK = re.compile(r"(STYLE|REGION)[ \t]*")
_TIMING_HINT = N_("write it like 00:01:02.500 --> 00:01:04.000")


@dataclass
class _Time:
    ms: int
    rest: str  # the line after the timestamp
    loose: str | None = None  # the text of a Teams-style time, read by clipper's extension


def _parse_timestamp(text: str) -> _Time | None:
    """The time at the start of `text` as vtt.js reads it (or Teams-style), else None."""
    match = _TIMESTAMP.match(text)
    loose = None
    if match:
        first, second, third, millis = match.groups()
        if third:
            hours, minutes, seconds = int(first), int(second), int(third[1:])
        elif int(first) > 59:
            hours, minutes, seconds = int(first), int(second), 0
        else:
            hours, minutes, seconds = 0, int(first), int(second)
        ms = int(millis)
    else:
        match = _LOOSE_TIMESTAMP.match(text)
        if not match:
            return None
        hours, minutes, seconds = (int(g) for g in match.groups()[:3])
        ms = int(match.group(4).ljust(3, "0"))
        loose = match.group(0)
    rest = text[_TIMESTAMP_TAIL.match(text).end() :]  # type: ignore[union-attr]
    return _Time(((hours * 60 + minutes) * 60 + seconds) * 1000 + ms, rest, loose)


@dataclass
class _Timing:
    start: _Time
    end: _Time
    settings: str


def _parse_timing(line: str) -> _Timing | str:
    """A cue timing line's times and settings, or why it is malformed."""
    rest = _skip_space(line)
    start = _parse_timestamp(rest)
    if start is None:
        return _("the start time is malformed")
    rest = _skip_space(start.rest)
    if not rest.startswith("-->"):
        return _("the times must be separated by -->")
    end = _parse_timestamp(_skip_space(rest[3:]))
    if end is None:
        return _("the end time is malformed")
    return _Timing(start, end, _skip_space(end.rest).rstrip())


def _skip_space(text: str) -> str:
    return text[_SPACES.match(text).end() :]  # type: ignore[union-attr]


@dataclass
class _Reader:
    """vtt.js's state machine, line by line, with line numbers for what it skips."""

    state: str = "HEADER"
    cues: list[Cue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    block: list[str] = field(default_factory=list)  # the STYLE/REGION/NOTE being read
    block_kind: str = ""
    cue_id: str = ""
    id_line: int = 0
    timing: _Timing | None = None
    timing_line: int = 0
    text: list[str] = field(default_factory=list)
    loose_first: Problem | None = None  # the first Teams-style time, noted once ...
    loose_more: int = 0  # ... with the count of the others
    loose_last_line: int = 0
    noted_order: bool = False  # one note per file for cues out of time order

    def feed(self, number: int, line: str, following: str | None) -> None:
        again = getattr(self, f"_{self.state.lower()}")(number, line, following)
        if again:  # a line holding "-->" ended a cue's text: it starts the next cue
            self._id(number, line, following)

    def finish(self, last: int) -> None:
        self.feed(last + 1, "", None)
        if self.loose_first is not None:
            note = self.loose_first
            if self.loose_more:
                times = "time" if self.loose_more == 1 else "times"
                more = _(
                    " (and {loose_more} more such {times}, up to line {loose_last_line})"
                ).format(
                    loose_more=self.loose_more, times=times, loose_last_line=self.loose_last_line
                )
                note = Problem(note.line, note.message + more)
            self.notes.append(note)

    def _header(self, number: int, line: str, following: str | None) -> bool:
        if not line:
            self.state = "ID"
        elif "-->" in line:
            self._problem(
                number,
                _("cue timing in the header, so players skip this cue"),
                _("leave a blank line after WEBVTT and the header lines"),
            )
        else:
            self.header.append(line)
        return False

    def _id(self, number: int, line: str, following: str | None) -> bool:
        if not line:
            return False
        if _NOTE.match(line):
            self._open_block("NOTE", line[5:])
        elif _HEADER_BLOCK.fullmatch(line) and (following is None or "-->" not in following):
            self._open_block(line.strip(), None)
            if self.cues:
                self.notes.append(
                    Problem(
                        number,
                        _("{block_kind} block after the first cue: players ignore it").format(
                            block_kind=self.block_kind
                        ),
                        _("clipper keeps it and writes it before the cues"),
                    )
                )
        elif "-->" not in line:
            self.cue_id, self.id_line, self.state = line, number, "CUE"
        else:
            self.cue_id, self.id_line = "", number
            self._cue(number, line, following)
        return False

    def _cue(self, number: int, line: str, following: str | None) -> bool:
        if not line:
            self._lone_id()
            self.state = "ID"
            return False
        timing = _parse_timing(line)
        if isinstance(timing, str):
            if "-->" in line:
                self._problem(
                    number,
                    _("malformed cue timing {strip!r}: {timing}").format(
                        strip=line.strip(), timing=timing
                    ),
                )
            else:
                self._problem(
                    self.id_line,
                    _(
                        "the block starting {strip!r} has no cue timing line, so players skip it"
                    ).format(strip=self.cue_id.strip()[:40]),
                    _("add a line like 00:01:02.500 --> 00:01:04.000 after the id, or remove it"),
                )
            self.state = "BADCUE"
            return False
        self.timing, self.timing_line, self.text, self.state = timing, number, [], "CUETEXT"
        for time in (timing.start, timing.end):
            if time.loose is not None:
                self._loose_time(number, time)
        return False

    def _loose_time(self, number: int, time: _Time) -> None:
        """Note the first Teams-style time; count the rest (a file has them in every cue)."""
        if self.loose_first is None:
            self.loose_first = Problem(
                number,
                _(
                    "the time {loose!r} is not valid WebVTT (browsers would "
                    "skip the cue); clipper reads it as {ms}"
                ).format(loose=time.loose, ms=format_time(time.ms)),
            )
        else:
            self.loose_more += 1
            self.loose_last_line = number

    def _cuetext(self, number: int, line: str, following: str | None) -> bool:
        if line and "-->" not in line:
            self.text.append(line)
            return False
        if line and self.text and self.text[-1].strip().isdigit():  # a blank line lost
            self.notes.append(
                Problem(
                    number - 1,
                    _(
                        "the line {strip!r} looks like the next cue's id but is "
                        "shown as text of the cue before (add a blank line before it)"
                    ).format(strip=self.text[-1].strip()),
                )
            )
        self._emit_cue()
        self.state = "ID"
        return bool(line)

    def _badcue(self, number: int, line: str, following: str | None) -> bool:
        if not line:
            self.state = "ID"
        return False

    def _block(self, number: int, line: str, following: str | None) -> bool:
        if not line:
            self._close_block()
            self.state = "ID"
        elif "-->" in line:
            self._problem(
                number,
                _("cue timing inside a {block_kind} block, so players skip this cue").format(
                    block_kind=self.block_kind
                ),
                _(
                    "leave a blank line before it (or remove the --> to "
                    "keep it in the {block_kind})"
                ).format(block_kind=self.block_kind),
            )
            self._close_block()
            self.state = "BADCUE"
        else:
            self.block.append(line)
        return False

    def _open_block(self, kind: str, first: str | None) -> None:
        self.block_kind, self.state = kind, "BLOCK"
        self.block = [first] if first else []

    def _close_block(self) -> None:
        text = "\n".join(self.block)
        if self.block_kind == "NOTE":
            self.comments.append(text)
        elif self.block_kind == "STYLE":
            self.styles.append(text)
        else:
            self.regions.append(text)

    def _lone_id(self) -> None:
        if self.cue_id.strip().isdigit():
            self.notes.append(
                Problem(
                    self.id_line,
                    _("cue id {strip!r} without a cue; skipped").format(strip=self.cue_id.strip()),
                )
            )
        else:
            self._problem(
                self.id_line,
                _(
                    "the line {strip!r} is not part of a cue (no timing "
                    "line follows), so players skip it"
                ).format(strip=self.cue_id.strip()[:40]),
                _("add a timing line after it, or remove it"),
            )

    def _emit_cue(self) -> None:
        timing = self.timing
        assert timing is not None
        start, end = timing.start.ms, timing.end.ms
        if end < start:
            self._problem(
                self.timing_line,
                _("the cue ends ({end}) before it starts ({start})").format(
                    end=format_time(end), start=format_time(start)
                ),
                _("swap or correct the times"),
            )
        else:
            if self.cues and start < self.cues[-1].start_ms and not self.noted_order:
                self.notes.append(out_of_order(self.timing_line, start, self.cues[-1].start_ms))
                self.noted_order = True
            self.cues.append(Cue(start, end, "\n".join(self.text), self.cue_id, timing.settings))
        self.timing = None

    def _problem(self, number: int, message: str, hint: str = _TIMING_HINT) -> None:
        self.problems.append(Problem(number, message, _(hint)))


def parse_webvtt(text: str, path: Path | str | None = None) -> Parsed:
    """The cues of WebVTT `text` as a browser reads them, plus every cue it would skip.

    Refuses (SubtitleError) only a text that is not WebVTT at all.
    """
    text = text.removeprefix("\ufeff")
    lines = _LINE_END.split(text)
    if not text.strip():
        raise SubtitleError(_("the subtitle file is empty"), path=path)
    signature = _SIGNATURE.fullmatch(lines[0])
    if signature is None:
        raise SubtitleError(
            _("not a WebVTT file: the first line must be WEBVTT"),
            path=path,
            line=1,
            hint=_("start the file with a line WEBVTT and a blank line"),
        )
    reader = _Reader()
    for index in range(1, len(lines)):
        following = lines[index + 1] if index + 1 < len(lines) else None
        reader.feed(index + 1, lines[index], following)
    reader.finish(len(lines))
    track = Track(
        cues=reader.cues,
        styles=reader.styles,
        notes=reader.comments,
        regions=reader.regions,
        title=(signature["title"] or "").strip(),
        header=reader.header,
    )
    return Parsed(track, reader.problems, reader.notes)
