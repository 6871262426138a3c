"""A small subtitle model: cues with exact millisecond times and their raw WebVTT text.

The raw cue text is kept as written (voice spans `<v Name>`, styling tags, entities), so
nothing a transcriber wrote is lost when a cue is retimed and written again.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field, replace

# A tag never spans a `<`: with `[^<>]` a text of 100,000 `<` and no `>` is scanned once,
# where `[^>]` would scan to the end from every `<` (quadratic: minutes for one cue).
_TAG = re.compile(r"<[^<>]*+>")
_VOICE = re.compile(r"<v(?:\.[^\s<>]*+)?\s++([^<>]++)>")  # possessive: no backtracking


def voice_span(text: str) -> re.Match[str] | None:
    """The first `<v Name>` tag of cue text (group 1 is the name as written)."""
    return _VOICE.search(text)


def speaker_name(written: str) -> str:
    """A voice annotation as people read it: entities decoded (`&amp;` is `&`), umlauts
    composed (NFC, so a name from a macOS tool equals the same name typed on Windows)."""
    return unicodedata.normalize("NFC", html.unescape(written).strip())


@dataclass(frozen=True)
class Cue:
    """One caption: [start_ms, end_ms), its id, raw text (tags kept) and cue settings."""

    start_ms: int
    end_ms: int
    text: str
    id: str = ""
    settings: str = ""

    def __post_init__(self) -> None:
        if self.end_ms < self.start_ms:
            raise ValueError(f"cue ends ({self.end_ms} ms) before it starts ({self.start_ms} ms)")

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def voice(self) -> str | None:
        """The speaker named by the first `<v Name>` span, if any."""
        match = voice_span(self.text)
        return speaker_name(match.group(1)) if match else None

    @property
    def plain_text(self) -> str:
        """The text a reader sees: tags removed, entities decoded, lines joined by spaces,
        umlauts composed (NFC) so searches for `Jürgen` find it in any spelling."""
        without_tags = _TAG.sub("", self.text)
        return unicodedata.normalize("NFC", " ".join(html.unescape(without_tags).split()))

    def shifted(self, start_ms: int, end_ms: int, id: str | None = None) -> Cue:
        return replace(self, start_ms=start_ms, end_ms=end_ms, id=self.id if id is None else id)


def unique_ids(cues: list[Cue]) -> list[Cue]:
    """Make every non-empty cue id unique by suffixing repeats with -2, -3, ..."""
    seen: set[str] = {c.id for c in cues if c.id}
    counts: dict[str, int] = {}
    out: list[Cue] = []
    used: set[str] = set()
    for cue in cues:
        if not cue.id or cue.id not in used:
            used.add(cue.id)
            out.append(cue)
            continue
        n = counts.get(cue.id, 1)
        while True:
            n += 1
            candidate = f"{cue.id}-{n}"
            if candidate not in seen and candidate not in used:
                break
        counts[cue.id] = n
        used.add(candidate)
        out.append(replace(cue, id=candidate))
    return out


@dataclass(frozen=True)
class Track:
    """A subtitle file's cues plus the header, STYLE, REGION and NOTE blocks that travel along.

    `title` is the text after WEBVTT on the first line, `header` the header lines below it
    (e.g. YouTube's `Kind: captions`, `Language: de`).
    """

    cues: list[Cue]
    styles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    title: str = ""
    header: list[str] = field(default_factory=list)
