"""The demo's WebVTT transcript: utterances split into readable cues with voice spans.

Long utterances become several cues of at most two lines (LINE_WIDTH characters each), split
at sentence or comma boundaries; each cue gets a share of the utterance's time in proportion
to its characters, so cues stay contiguous and the last one ends when the speech ends.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from clipper.demo.script import Utterance
from clipper.subtitles.model import Cue
from clipper.subtitles.vtt import Track, format_vtt

LINE_WIDTH = 42
MAX_LINES = 2

_CLAUSE_END = re.compile(r"(?<=[.!?;:,])\s+")
_SENTENCE_END = re.compile(r"[.!?]$")


@dataclass(frozen=True)
class DemoCue:
    id: str
    start_ms: int
    end_ms: int
    speaker: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    def to_cue(self) -> Cue:
        """The cue as clipper's subtitle model has it: a voice span around escaped lines."""
        body = "\n".join(_escape(line) for line in self.lines)
        return Cue(self.start_ms, self.end_ms, f"<v {_escape(self.speaker)}>{body}</v>", self.id)


def wrap(text: str) -> list[str]:
    return textwrap.wrap(text, LINE_WIDTH, break_long_words=True, break_on_hyphens=False)


def _fits(text: str) -> bool:
    return len(wrap(text)) <= MAX_LINES


def split_text(text: str) -> list[str]:
    """Split an utterance into cue texts that each fit in MAX_LINES lines.

    Clauses (ending in . ! ? ; : ,) are packed greedily; a new cue is preferred after a
    sentence end once the current cue is half full; a clause too long on its own is split
    between words.
    """
    pieces: list[str] = []
    for clause in _CLAUSE_END.split(" ".join(text.split())):
        if _fits(clause):
            pieces.append(clause)
        else:
            pieces.extend(_split_words(clause))
    chunks: list[str] = []
    for piece in pieces:
        if chunks:
            joined = f"{chunks[-1]} {piece}"
            sentence_done = _SENTENCE_END.search(chunks[-1]) and len(chunks[-1]) >= LINE_WIDTH
            if _fits(joined) and not sentence_done:
                chunks[-1] = joined
                continue
        chunks.append(piece)
    return chunks


def _split_words(clause: str) -> list[str]:
    out: list[str] = []
    for word in clause.split():
        if out and _fits(f"{out[-1]} {word}"):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def apportion(start_ms: int, end_ms: int, texts: Sequence[str]) -> list[tuple[int, int]]:
    """Share [start, end) among texts by character count; contiguous, exact at both ends."""
    total = sum(len(t) for t in texts) or 1
    bounds = [start_ms]
    done = 0
    for t in texts:
        done += len(t)
        bounds.append(start_ms + ((end_ms - start_ms) * done * 2 + total) // (2 * total))
    bounds[-1] = end_ms
    return list(itertools.pairwise(bounds))


def make_cues(utterances: Sequence[Utterance]) -> list[DemoCue]:
    """Cues for all utterances, numbered cue-1, cue-2, ... in time order."""
    cues: list[DemoCue] = []
    for u in utterances:
        texts = split_text(u.line.text)
        for text, (start, end) in zip(texts, apportion(u.start_ms, u.end_ms, texts), strict=True):
            cues.append(
                DemoCue(f"cue-{len(cues) + 1}", start, end, u.line.speaker.name, tuple(wrap(text)))
            )
    return cues


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_vtt(cues: Sequence[DemoCue], *, note: str | None = None) -> str:
    """WebVTT text: ids, `<v Name>` voice spans, and an optional NOTE block after the header."""
    track = Track(cues=[cue.to_cue() for cue in cues], notes=[note] if note else [])
    return format_vtt(track)
