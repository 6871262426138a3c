"""Timestamp lists: which parts of a recording go into a clip.

Parsing is pure: a ranges text (or `--range` options) becomes `RangeSpec`s whose ends may
still be symbolic (frame timecodes, cues of the transcript). `clipper.ranges.selection` resolves
them against the transcript and the recording's frame rate into `Range`s of milliseconds.

One range per line:

    0:05 - 0:12,5  Begrüßung              clock times (`-`, `–`, `—` or `-->` between)
    00:01:02:12 - 00:01:30:00  Grußwort    SMPTE frame timecodes (`;` before FF: drop-frame)
    #cue-12  Neue Wege                     a cue of the transcript, by id
    #cue-12..#cue-15 +0.5s                 the cues from one id to another, padded 0.5 s
    "neue Wege" -1s/+0.5s  Ausblick        the cue containing a phrase, padded 1 s and 0.5 s

A comment is `#` followed by a space, another `#` or the line's end, at the start of a line
or after a space; `#` directly followed by text is a cue reference at the start of a line
and plain text inside a label. Errors name the file and line and say how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from clipper.errors import RangeError, SourceLocation
from clipper.i18n import N_, _
from clipper.timecode import TimecodeError, format_time, is_frame_timecode, parse_time

# Between two times or cues: `-`, the dashes and minus signs word processors and other
# keyboards put there instead, `-->` (as in WebVTT) or the German `bis`.
_SEP = r"(?:-->|[-‐‑‒–—−]|[Bb]is(?!\w))"
_TIME = r"[0-9][0-9:.,;]*"
_LINE = re.compile(
    rf"""^\s*
    (?P<start>{_TIME})
    \s*{_SEP}\s*
    (?P<end>{_TIME})
    (?:\s+(?P<label>.*?))?
    \s*$""",
    re.VERBOSE,
)

# `#` + space, `#` or end of line, at the line's start or after a space ("Punkt#3" and
# "Punkt #3" stay labels; "#cue-3" at the start is a cue reference).
_COMMENT = re.compile(r"(?:^|\s)#(?=\s|#|$).*$")

# Quote marks a phrase may be written in, each with the marks that may close it (German
# text uses „…“ and »…«; word processors turn "…" into “…”).
QUOTES = {
    '"': '"“”',
    "„": '“”"',
    "“": '”“"',
    "”": "”",
    "»": "«",
    "«": "»",
}
_ID = re.compile(r"#((?:(?!\.\.)\S)+)")
_TO = re.compile(rf"\s*(?:\.\.|\s{_SEP}\s)\s*")
_DURATION = r"\d{1,6}(?:[.,]\d{1,6})?\s*s|\d{1,9}\s*ms|0"
_PADDING = re.compile(
    rf"(?:\+(?P<both>{_DURATION})|-(?P<before>{_DURATION})\s*/\s*\+(?P<after>{_DURATION}))"
    r"(?=\s|$)"
)

# Ranges given on the command line: errors and notes name the option and its number.
RANGE_OPTION = "--range"

EXAMPLE = N_("write it like `0:05 - 1:30,5 Begrüßung`")
START_HINT = N_(
    "start the line with a time (`0:05 - 1:30,5 Begrüßung`), a cue (`#cue-12`) or a phrase "
    'in quotes (`"neue Wege"`)'
)
# Two things around a separator, to say which of them is not a time.
_LOOSE = re.compile(rf"^(?P<start>\S+?)\s*{_SEP}\s*(?P<end>\S+)")
CUE_EXAMPLE = N_('write it like `#cue-12`, `#cue-12..#cue-15 +0.5s` or `"neue Wege" Ausblick`')
PADDING_EXAMPLE = N_("pad both ends with +0.5s (or +500ms), or each end with -1s/+0.5s")


@dataclass(frozen=True)
class Range:
    """A requested part of the source, [start_ms, end_ms), with the line it came from."""

    start_ms: int
    end_ms: int
    label: str = ""
    line: int | None = None

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    def describe(self) -> str:
        text = f"{format_time(self.start_ms)} - {format_time(self.end_ms)}"
        return f"{text}  {self.label}" if self.label else text


@dataclass(frozen=True)
class FrameCode:
    """An SMPTE timecode as written (`00:01:02:12`); its time depends on the frame rate."""

    text: str


Time = int | FrameCode  # whole milliseconds, or a frame timecode still to be resolved


@dataclass(frozen=True)
class CueId:
    """`#cue-12`: the cue with that id (or, if no cue has ids, the 12th)."""

    id: str


@dataclass(frozen=True)
class Phrase:
    """`"neue Wege"`: the cue (or two adjacent cues) whose text contains the phrase."""

    text: str


Pick = CueId | Phrase


@dataclass(frozen=True)
class TimeSpan:
    start: Time
    end: Time


@dataclass(frozen=True)
class CueSpan:
    """The cues from `first` to `last` (inclusive), widened by the padding."""

    first: Pick
    last: Pick | None = None
    before_ms: int = 0
    after_ms: int = 0


@dataclass(frozen=True)
class RangeSpec:
    """One parsed line: what to select, its label and where it was written."""

    what: TimeSpan | CueSpan
    label: str = ""
    line: int | None = None
    note: str = ""  # something to check that is no error (shown with the resolved ranges)

    @property
    def needs_transcript(self) -> bool:
        return isinstance(self.what, CueSpan)

    @property
    def needs_frame_rate(self) -> bool:
        what = self.what
        return isinstance(what, TimeSpan) and (
            isinstance(what.start, FrameCode) or isinstance(what.end, FrameCode)
        )


def parse_specs(
    text: str, *, source: Path | str = "<ranges>", first_line: int = 1
) -> list[RangeSpec]:
    """Parse a ranges list into specs; raise RangeError naming the line for anything wrong.

    `first_line` is the file line of the text's first line (ranges inside event.toml).
    """
    specs: list[RangeSpec] = []
    place = SourceLocation(source)
    for number, raw in enumerate(text.splitlines(), start=first_line):
        spec = parse_line(raw.lstrip("\ufeff"), at=place.at(number))
        if spec is not None:
            specs.append(spec)
    if not specs:
        raise RangeError(_("no ranges found: the list is empty"), path=source, hint=_(EXAMPLE))
    return specs


def parse_options(values: Sequence[str]) -> list[RangeSpec]:
    """Ranges from repeated `--range` options; errors name the option (`--range 2`)."""
    specs: list[RangeSpec] = []
    for number, value in enumerate(values, start=1):
        at = SourceLocation(RANGE_OPTION, number)
        spec = parse_line(value, at=at)
        if spec is None:
            raise RangeError(
                _("{value!r} is empty or a comment").format(value=value), at=at, hint=_(EXAMPLE)
            )
        specs.append(spec)
    if not specs:
        raise RangeError(_("no ranges given"), hint=_("give --ranges FILE or --range START-END"))
    return specs


def parse_line(raw: str, *, at: SourceLocation) -> RangeSpec | None:
    """One line of a ranges list: a spec, or None for a blank or comment line."""
    text = raw.strip()
    if not text or _COMMENT.match(text):
        return None
    if text[0] == "#" or text[0] in QUOTES:
        return _parse_cue_line(text, at)
    text = _COMMENT.sub("", text).strip()
    match = _LINE.match(text)
    if not match:
        raise _unreadable(text, at)
    start = parse_endpoint(match["start"], at=at)
    end = parse_endpoint(match["end"], at=at)
    check_order(start, end, at=at)
    return RangeSpec(TimeSpan(start, end), (match["label"] or "").strip(), at.line)


def _unreadable(text: str, at: SourceLocation) -> RangeError:
    """Why a line is no range, as precisely as can be told (which time, or how lines start)."""
    if not text[0].isdigit():
        return RangeError(
            _("cannot read {text!r} as a range").format(text=text), at=at, hint=_(START_HINT)
        )
    loose = _LOOSE.match(text)
    if loose:
        for part in (loose["start"], loose["end"]):
            parse_endpoint(part, at=at)  # raises, naming the unreadable time
    return RangeError(
        _("cannot read {text!r} as a range").format(text=text), at=at, hint=_(EXAMPLE)
    )


def starts_like_a_range(text: str) -> bool:
    """Whether text (event.toml's `ranges = "..."`) is a range rather than a file name."""
    return bool(re.match(rf"^\s*(?:\d[\d:.,;]*\s*{_SEP}|#\S|[{''.join(QUOTES)}])", text))


def parse_endpoint(text: str, *, at: SourceLocation) -> Time:
    """A clock time in milliseconds, or a frame timecode kept as written."""
    if is_frame_timecode(text):
        return FrameCode(text.strip())
    try:
        return parse_time(text)
    except TimecodeError as exc:
        raise RangeError(str(exc), at=at) from exc


def check_order(start: Time, end: Time, *, at: SourceLocation) -> None:
    """Refuse a range that ends before it starts or is empty (known once both are times)."""
    if not isinstance(start, int) or not isinstance(end, int):
        return
    if end < start:
        raise RangeError(
            _("the range ends ({end}) before it starts ({start})").format(
                end=format_time(end), start=format_time(start)
            ),
            at=at,
            hint=_("swap the two times"),
        )
    if end == start:
        raise RangeError(
            _("the range {start} - {end} is empty").format(
                start=format_time(start), end=format_time(end)
            ),
            at=at,
            hint=_("give an end after the start"),
        )


def _parse_cue_line(text: str, place: SourceLocation) -> RangeSpec:
    first, at = _read_pick(text, 0, place)
    last: Pick | None = None
    to = _TO.match(text, at)
    if to and to.end() < len(text) and (text[to.end()] == "#" or text[to.end()] in QUOTES):
        last, at = _read_pick(text, to.end(), place)
    rest = text[at:].strip()
    if at < len(text) and not text[at].isspace():
        raise RangeError(
            _("cannot read {text!r}: put a space after the cue selection").format(text=text),
            at=place,
            hint=_(CUE_EXAMPLE),
        )
    before = after = 0
    padding = _PADDING.match(rest)
    if padding:
        if padding["both"]:
            before = after = _duration_ms(padding["both"])
        else:
            before, after = _duration_ms(padding["before"]), _duration_ms(padding["after"])
        rest = rest[padding.end() :].strip()
    elif re.match(r"[+-]\s*\d", rest):
        raise RangeError(
            _("cannot read the padding in {text!r}").format(text=text),
            at=place,
            hint=_(PADDING_EXAMPLE),
        )
    if rest[:1] == "#" and not _COMMENT.match(rest):
        shown = _format_pick(first)
        raise RangeError(
            _("cannot read {text!r}: a label cannot start with a second cue").format(text=text),
            at=place,
            hint=_("write {shown}..{split} for the cues from one to the other").format(
                shown=shown, split=rest.split()[0]
            ),
        )
    label = _COMMENT.sub("", rest).strip()
    return RangeSpec(CueSpan(first, last, before, after), label, place.line)


def _read_pick(text: str, at: int, place: SourceLocation) -> tuple[Pick, int]:
    if text[at] == "#":
        match = _ID.match(text, at)
        if not match:
            raise RangeError(
                _(
                    "cannot read {text!r}: `#` must be followed by a cue "
                    "id, or by a space for a comment"
                ).format(text=text),
                at=place,
                hint=_(CUE_EXAMPLE),
            )
        return CueId(match[1]), match.end()
    closers = QUOTES[text[at]]
    end = next((i for i in range(at + 1, len(text)) if text[i] in closers), None)
    if end is None:
        raise RangeError(
            _("the phrase in {text!r} has no closing quote").format(text=text),
            at=place,
            hint=_(CUE_EXAMPLE),
        )
    phrase = " ".join(text[at + 1 : end].split())
    if not phrase:
        raise RangeError(
            _("the phrase in {text!r} is empty").format(text=text), at=place, hint=_(CUE_EXAMPLE)
        )
    return Phrase(phrase), end + 1


def _duration_ms(text: str) -> int:
    text = "".join(text.split())
    if text == "0":
        return 0
    if text.endswith("ms"):
        return int(text[:-2])
    return parse_time(text[:-1])


def format_spec(spec: RangeSpec) -> str:
    """The spec as a line of a ranges list (parse_line reads it back to the same spec)."""
    what = spec.what
    if isinstance(what, TimeSpan):
        text = f"{_format_endpoint(what.start)} - {_format_endpoint(what.end)}"
    else:
        text = _format_pick(what.first)
        if what.last is not None:
            text += ".." + _format_pick(what.last)
        if what.before_ms == what.after_ms and what.before_ms:
            text += f" +{what.before_ms}ms"
        elif what.before_ms or what.after_ms:
            text += f" -{what.before_ms}ms/+{what.after_ms}ms"
    return f"{text}  {spec.label}" if spec.label else text


def _format_endpoint(time: Time) -> str:
    return time.text if isinstance(time, FrameCode) else format_time(time)


def _format_pick(pick: Pick) -> str:
    return f"#{pick.id}" if isinstance(pick, CueId) else f'"{pick.text}"'


def describe_spec(spec: RangeSpec) -> str:
    """How the line selects, for messages: `#cue-3..#cue-5 +0.5s`, or its times."""
    return format_spec(replace(spec, label=""))
