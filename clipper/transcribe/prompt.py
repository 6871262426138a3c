"""The initial prompt: words the recogniser should expect (pure).

Whisper continues the style and spelling of the text it is given before the audio, so the
event's title, the speakers' and places' names (`names` in event.toml) and the start of
its description make "Verwaltungsrebellen" and "Frau Berger" come out as written there.
Whisper reads at most 224 prompt tokens; MAX_CHARS keeps well below that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_CHARS = 600


def _plain(markdown: str) -> str:
    """Markdown as running text: links keep their words, marks and markup go."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"[*_`#>|]+", " ", text)
    return " ".join(text.split())


def initial_prompt(title: str = "", description: str = "", names: Sequence[str] = ()) -> str | None:
    """Title, names, then as much of the description as fits; None when there is nothing."""
    parts = []
    if title.strip():
        parts.append(" ".join(title.split()).rstrip(".") + ".")
    clean_names = [" ".join(n.split()) for n in names if n.strip()]
    if clean_names:
        parts.append(", ".join(clean_names) + ".")
    text = " ".join(parts)
    rest = _plain(description)
    room = MAX_CHARS - len(text) - 1
    if rest and room > 20:
        if len(rest) > room:
            rest = rest[:room].rsplit(" ", 1)[0]
        text = f"{text} {rest}".strip()
    return text[:MAX_CHARS] or None
