"""Readable captions from timed words (pure): not the recogniser's raw segments.

The rules follow the BBC, Netflix and ARD/ZDF guidelines, which roughly agree: at most
2 lines of 42 characters, 1-7 s on screen, at most about 17 characters per second, a cue
ends at a sentence or clause boundary where one is near, and never runs across a long
pause. A cue that would be too short or too fast is held on screen longer, into the
silence after it, but never into the next cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clipper.subtitles.model import Cue

MAX_LINE = 42
MAX_LINES = 2
MIN_MS = 1000
MAX_MS = 7000
MAX_CPS = 17
LONG_PAUSE_MS = 1500
"""Silence at least this long between two words always ends a cue."""
SENTENCE_END = (".", "!", "?", "…")
CLAUSE_END = (",", ";", ":", "–", "-")


@dataclass(frozen=True)
class Word:
    """A recognised word with its time [start_ms, end_ms) in the recording."""

    text: str
    start_ms: int
    end_ms: int


def _text(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


def lines_for(words: Sequence[Word]) -> list[str] | None:
    """The cue text in at most MAX_LINES lines of MAX_LINE characters, or None if it does
    not fit. Two lines break after a clause where one is near the middle, else balanced."""
    whole = _text(words)
    if len(whole) <= MAX_LINE:
        return [whole]
    best: tuple[int, list[str]] | None = None
    for cut in range(1, len(words)):
        top, bottom = _text(words[:cut]), _text(words[cut:])
        if len(top) > MAX_LINE or len(bottom) > MAX_LINE:
            continue
        imbalance = abs(len(top) - len(bottom))
        if words[cut - 1].text.endswith(SENTENCE_END + CLAUSE_END):
            imbalance -= 20  # a line ending with the clause reads best
        if best is None or imbalance < best[0]:
            best = (imbalance, [top, bottom])
    return best[1] if best else None


def _fits(words: Sequence[Word]) -> bool:
    if len(words) == 1:
        return True  # one word always makes a cue, however long
    duration = words[-1].end_ms - words[0].start_ms
    return duration <= MAX_MS and lines_for(words) is not None


def _break_score(words: Sequence[Word], index: int) -> int:
    """How good a cue end after words[index] is: sentence 3, clause 2, pause 1, else 0."""
    text = words[index].text
    if text.endswith(SENTENCE_END):
        return 3
    if text.endswith(CLAUSE_END):
        return 2
    if index + 1 < len(words) and words[index + 1].start_ms - words[index].end_ms >= 300:
        return 1
    return 0


def group_words(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into cues: a long pause always splits; otherwise a cue grows until the
    next word would break a rule, and is then cut at its best boundary (latest sentence end,
    else clause, else short pause, else where it stands). A sentence that ends once the cue
    has been on screen for MIN_MS closes it."""
    groups: list[list[Word]] = []
    current: list[Word] = []
    for word in words:
        if current and word.start_ms - current[-1].end_ms >= LONG_PAUSE_MS:
            groups.append(current)
            current = []
        if current and not _fits([*current, word]):
            cut = _best_cut(current)
            groups.append(current[:cut])
            current = current[cut:]
            while current and not _fits([*current, word]):
                groups.append(current)  # the rest alone, when it cannot take the word
                current = []
        current.append(word)
        if word.text.endswith(SENTENCE_END) and word.end_ms - current[0].start_ms >= MIN_MS:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _best_cut(words: Sequence[Word]) -> int:
    """Where to end a full cue: after the latest best boundary (in the later half, so the
    cue is not left nearly empty), else after all its words."""
    best_index, best_score = len(words) - 1, 0
    for index in range(len(words) - 1):
        score = _break_score(words, index)
        later_half = index + 1 >= len(words) // 2
        if score > 0 and later_half and score >= best_score:
            best_index, best_score = index, score
    return best_index + 1


def make_cues(words: Sequence[Word], *, end_ms: int | None = None) -> list[Cue]:
    """Captions for `words` (in time order), ids `cue-1`, `cue-2`, ...; `end_ms` is the
    recording's length (no cue is held past it)."""
    groups = group_words([w for w in words if w.text.strip()])
    cues: list[Cue] = []
    for number, group in enumerate(groups, start=1):
        start = group[0].start_ms
        stop = max(group[-1].end_ms, start + 1)
        text = "\n".join(lines_for(group) or [_text(group)])
        next_start = groups[number][0].start_ms if number < len(groups) else None
        limit = min(x for x in (next_start, end_ms, start + MAX_MS) if x is not None)
        chars = len(text.replace("\n", " "))
        wanted = max(MIN_MS, -(-chars * 1000 // MAX_CPS))  # ms needed to read it
        stop = max(stop, min(start + wanted, limit))
        end = min(stop, start + MAX_MS)
        cues.append(Cue(start_ms=start, end_ms=end, text=text, id=f"cue-{number}"))
    return cues
