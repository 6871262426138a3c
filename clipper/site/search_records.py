"""What the search index holds, read from the rendered pages themselves.

The templates mark it up, so a theme decides with the same markup what is found:
`data-pagefind-body` on the part of a page that is indexed (the event's title, texts and
description; pages without it, like the legal ones and the index, are not indexed),
`data-pagefind-ignore` on what is not (header, footer, the video sections), and on each
transcript line `data-search-cue` with its `data-start`, inside a `data-search-video`
section. Each such line becomes a record of its own whose link opens the event page at
that video and moment (`?v=<section>&t=<seconds>#<section>`), so a hit in a two-hour
recording lands on its sentence. Pure: text in, records out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

_SECONDS = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True)
class CueRecord:
    """One transcript line as a search result of its own."""

    url: str  # relative to the site root
    text: str  # "Name: what was said", as the page shows it
    event: str  # the event's title
    video: str  # the video's title ("Gesamtaufzeichnung", a clip's title)
    time: str  # the clock time the page shows ("1:02:03")


@dataclass(frozen=True)
class IndexedPage:
    """A rendered page and what of it the index takes."""

    url: str  # relative to the site root, e.g. "events/<slug>/index.html"
    html: str
    body: bool  # has a `data-pagefind-body` part: the page itself is a result
    cues: list[CueRecord] = field(default_factory=list)


def read_page(url: str, html: str) -> IndexedPage:
    """The page and its transcript lines as records (in page order)."""
    parser = _CueParser(url)
    parser.feed(html)
    parser.close()
    return IndexedPage(url=url, html=html, body=parser.body, cues=parser.cues)


def cue_url(page_url: str, video: str, seconds: str) -> str:
    """`events/x/index.html?v=gesamtaufzeichnung&t=12.5#gesamtaufzeichnung`: player.js
    seeks there without playing; without script the fragment still scrolls to the video."""
    section = quote(video, safe="")
    return f"{page_url}?v={section}&t={seconds}#{section}"


class _CueParser(HTMLParser):
    """Collects `li[data-search-cue]` lines: the time link's text is the time, the rest the
    cue's text. The pages are clipper's own (well-formed), so a flat state machine is enough."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.body = False
        self.cues: list[CueRecord] = []
        self.event = ""
        self.video: tuple[str, str] | None = None  # (section id, title)
        self.start: str | None = None  # inside a cue line: its data-start
        self.in_link = False
        self.time: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "data-pagefind-body" in found:
            self.body = True
        if found.get("data-search-event"):
            self.event = found["data-search-event"] or ""
        if found.get("data-search-video"):
            self.video = (
                found["data-search-video"] or "",
                found.get("data-search-video-title") or "",
            )
        if tag == "li" and "data-search-cue" in found:
            start = found.get("data-start") or ""
            self.start = start if _SECONDS.match(start) else None
            self.time, self.text, self.in_link = [], [], False
        elif tag == "a" and self.start is not None and not self.time:
            self.in_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.in_link = False
        elif tag == "li" and self.start is not None:
            self._finish(self.start)
            self.start = None

    def handle_data(self, data: str) -> None:
        if self.start is None:
            return
        (self.time if self.in_link else self.text).append(data)

    def _finish(self, start: str) -> None:
        text = " ".join("".join(self.text).split())
        if not text or self.video is None:
            return
        video, title = self.video
        self.cues.append(
            CueRecord(
                url=cue_url(self.url, video, start),
                text=text,
                event=self.event,
                video=title,
                time=" ".join("".join(self.time).split()),
            )
        )
