"""Reading and writing SRT (SubRip), the format Windows tools and transcription services export.

Why not the `srt` package: it skips unparsable blocks without saying where (or stops at the
first), and clipper must name the line of every cue it cannot read. SRT is simple enough:
blocks separated by blank lines, each an optional number, a timing line
`00:01:02,500 --> 00:01:04,000` (a dot works too, as do missing hours and short fields) and
text with HTML-ish tags (`<i>`, `<b>`, `<u>`, `<font color=...>`) and, from some tools, a
leading `{\an8}`-style position, which becomes WebVTT cue settings (`line:0` = top).

Cue text is kept in clipper's model as WebVTT cue text: tags stay as written (browsers show
the text of tags they do not know), a `<` that starts no tag becomes `&lt;`. SRT has no
speaker tag, so a `<v Name>` span is written as `Name: ` in front of the text, which every
player shows; reading SRT back leaves `Name: ` as text (guessing speakers from colons would
turn "Hinweis: ..." into a speaker).
"""

from __future__ import annotations

import html
import re
from itertools import islice

from clipper.i18n import N_, _
from clipper.subtitles.model import Cue, Track
from clipper.subtitles.problems import Parsed, Problem, out_of_order

# CR CR LF (CRLF written through a Windows text-mode file) is one line end in SRT, which has
# no spec saying otherwise; read as two, every line would be followed by a blank one.
_LINE_END = re.compile(r"\r?\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]+")
_TIME = r"(?:([0-9]+):)?([0-9]{1,2}):([0-9]{1,2})(?:[,.]([0-9]{1,3}))?"
_TIMING = re.compile(rf"[ \t]*{_TIME}[ \t]*-->[ \t]*{_TIME}(?P<rest>.*)")
_STRICT_TIMING = re.compile(r"\s*[0-9]+:[0-9]{2}:[0-9]{2},[0-9]{3}\s*-->")
_INDEX = re.compile(r"[ \t]*[0-9]+[ \t]*")
_BARE_LT = re.compile(r"<(?![/a-zA-Z])")
# possessive (*+, ++) and no `<` inside a tag: text of many `<` without `>` stays linear
_VOICE_OPEN = re.compile(r"<v(?:\.[^\s<>]*+)?[ \t]++([^<>]*+)>")
_TAG = re.compile(r"<(/?)([a-zA-Z]++)(?:\.[^\s<>]*+)?([^<>]*+)>|<[0-9:.]++>")
_SRT_TAGS = {"i", "b", "u", "font"}
_AN = re.compile(r"\{\\an([1-9])\}")  # `{\an8}`: numpad position, 8 = top centre
_AN_LINE = {0: "line:0", 1: "line:50%,center", 2: ""}  # numpad rows from the top: 7-9, 4-6, 1-3
_AN_ALIGN = {0: "align:start", 1: "", 2: "align:end"}  # columns: 1/4/7, 2/5/8, 3/6/9
_HINT = N_("write it like 00:01:02,500 --> 00:01:04,000")


def looks_like_srt(text: str) -> bool:
    """True when the first block is `number` + SRT timing, or an SRT timing line."""
    found = (m.group(0) for m in _LINE.finditer(text.removeprefix("\ufeff")))
    lines = list(islice((line for line in found if line.strip()), 2))
    if lines and _INDEX.fullmatch(lines[0]):
        lines = lines[1:]
    return bool(lines) and _STRICT_TIMING.match(lines[0]) is not None


def parse_srt(text: str) -> Parsed:
    """The cues of SRT `text`, with a Problem for each block that is not a readable cue."""
    cues: list[Cue] = []
    problems: list[Problem] = []
    notes: list[Problem] = []
    noted_order = False  # one note per file for cues out of time order
    for first, block in _cue_blocks(_LINE_END.split(text.removeprefix("\ufeff")), notes):
        at = 1 if len(block) > 1 and _INDEX.fullmatch(block[0]) else 0
        number = first + at
        match = _TIMING.fullmatch(block[at])
        if match is None:
            if at or "-->" in block[at]:  # after a cue number, the timing line must follow
                problems.append(
                    Problem(
                        number,
                        _("malformed cue timing {strip!r}").format(strip=block[at].strip()),
                        _(_HINT),
                    )
                )
            else:
                problems.append(
                    Problem(
                        first,
                        _("the block starting {strip!r} has no cue timing line").format(
                            strip=block[0].strip()[:40]
                        ),
                        _(
                            "add a timing line like 00:01:02,500 --> 00:01:04,000, or remove a "
                            "blank line inside the cue before it"
                        ),
                    )
                )
            continue
        start, end = _ms(match.groups()[:4]), _ms(match.groups()[4:8])
        if end < start:
            problems.append(Problem(number, _("the cue ends before it starts"), _("fix the times")))
            continue
        if match["rest"].strip():
            notes.append(
                Problem(
                    number,
                    _("ignored {strip!r} after the times (SRT extra)").format(
                        strip=match["rest"].strip()
                    ),
                )
            )
        cue_id = block[0].strip() if at else ""
        text_lines, settings = _position(block[at + 1 :])
        cue_text = "\n".join(srt_to_vtt_text(line) for line in text_lines)
        if cues and start < cues[-1].start_ms and not noted_order:
            notes.append(out_of_order(number, start, cues[-1].start_ms))
            noted_order = True
        cues.append(Cue(start, end, cue_text, cue_id, settings))
    return Parsed(Track(cues=cues), problems, notes)


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the number of its first line."""
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


def _cue_blocks(lines: list[str], notes: list[Problem]) -> list[tuple[int, list[str]]]:
    """The blocks, each split where a timing line (with its number) follows cue text with no
    blank line between: hand-edited files lose blank lines, and the next cue must not
    become text of this one. Each such place is noted."""
    out: list[tuple[int, list[str]]] = []
    for first, block in _blocks(lines):
        start = 0
        own = 1 if len(block) > 1 and _INDEX.fullmatch(block[0]) else 0  # this cue's timing
        for i in range(own + 1, len(block)):
            if _TIMING.fullmatch(block[i]) is None:
                continue
            new = i - 1 if i - 1 > own and _INDEX.fullmatch(block[i - 1]) else i
            out.append((first + start, block[start:new]))
            notes.append(
                Problem(first + new, _("a cue starts here without a blank line before it; "
                        "read as a new cue"))
            )  # fmt: skip
            start, own = new, i
        out.append((first + start, block[start:]))
    return out


def _an_settings(number: int) -> str:
    row, column = divmod(9 - number, 3)
    return " ".join(s for s in (_AN_LINE[row], _AN_ALIGN[2 - column]) if s)


AN_SETTINGS = {_an_settings(n): n for n in range(1, 10) if n != 2}  # cue settings -> {\anN}


def _position(lines: list[str]) -> tuple[list[str], str]:
    """Lines without a leading `{\anN}`, and the WebVTT cue settings that place the cue so."""
    match = _AN.match(lines[0]) if lines else None
    if match is None:
        return lines, ""
    return [lines[0][match.end() :], *lines[1:]], _an_settings(int(match.group(1)))


def _ms(groups: tuple[str | None, ...]) -> int:
    hours, minutes, seconds, fraction = groups
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes or 0)) * 60 + int(seconds or 0)) * 1000 + millis


def srt_to_vtt_text(line: str) -> str:
    """One SRT text line as WebVTT cue text (tags kept, a bare `<` and `-->` escaped)."""
    return _BARE_LT.sub("&lt;", line).replace("-->", "--&gt;")


def vtt_to_srt_text(text: str) -> str:
    """WebVTT cue text as SRT: `<v Name>` becomes `Name: `, <i>/<b>/<u> stay, entities decoded."""

    def tag(match: re.Match[str]) -> str:
        closing, name = match.group(1), (match.group(2) or "").lower()
        if name in _SRT_TAGS:
            extra = match.group(3) if name == "font" else ""
            return f"<{closing}{name}{extra}>"
        return ""

    text = _VOICE_OPEN.sub(lambda m: f"{m.group(1).strip()}: ", text)
    return html.unescape(_TAG.sub(tag, text))


def format_srt(track: Track) -> str:
    """SRT text for a track: cues numbered 1, 2, ... (UTF-8, `\\n` line ends)."""
    out: list[str] = []
    for number, cue in enumerate(track.cues, start=1):
        text = [line for line in vtt_to_srt_text(cue.text).split("\n") if line.strip()]
        if cue.settings in AN_SETTINGS:
            text = [f"{{\\an{AN_SETTINGS[cue.settings]}}}{(text or [''])[0]}", *text[1:]]
        out += [str(number), f"{_srt_time(cue.start_ms)} --> {_srt_time(cue.end_ms)}", *text, ""]
    return "\n".join(out)


def _srt_time(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"
