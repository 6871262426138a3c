"""Word error rate: the share of words a recogniser got wrong (for tests and the bench)."""

from __future__ import annotations

import re


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation (hyphenated compounds split, as spoken)."""
    return re.findall(r"\w+", text.lower())


def wer(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by edit distance."""
    ref, hyp = words_of(reference), words_of(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i]
        for j, h in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(len(ref), 1)
