"""What the search index holds, read from the rendered pages themselves.

The templates mark it up, so a theme decides with the same markup what is found:
`data-pagefind-body` on the part of a page that is indexed (the event's title, texts and
description; pages without it, like the legal ones and the index, are not indexed),
`data-pagefind-ignore` on what is not (header, footer, the video sections), and on each
transcript line `data-search-cue` with its `data-start`, inside a `data-search-video`
section.

Each half hour of a video's transcript becomes ONE record (a small page written for the
indexer alone), in which every line is a heading whose id is its start time. Pagefind
then returns the video (or that half hour of a long one) as a result and each matching
line as a sub-result with its own link: a hit still lands on its sentence
(`?v=<section>&t=<seconds>`, search.js builds it from the heading id), while the index
holds a few records per event instead of one per line, so the page list a query loads and
the number of files stay small as the archive grows, and the half-hour bound keeps the
fragment a hit loads small however long the meeting was. Pure: text in, records and the
indexer's HTML out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import quote

_SECONDS = re.compile(r"^\d+(\.\d+)?$")
PART_SECONDS = 30 * 60  # one record per half hour of a transcript (by the lines' starts)
ANCHOR_PREFIX = "t"  # a line's heading id: "t" + its start in seconds (search.js reads it)
# in a record's index address: the titles, and which half hour it is (search.js drops them)
EVENT_PARAM, VIDEO_PARAM, PART_PARAM = "event", "videotitle", "part"


@dataclass(frozen=True)
class SpokenLine:
    """One transcript line: where it starts and what the page shows of it."""

    seconds: str  # its start, as the page's data-start ("12.5")
    time: str  # the clock time the page shows ("1:02:03")
    text: str  # "Name: what was said"


@dataclass(frozen=True)
class VideoRecord:
    """A video's transcript (or one half hour of it) as one search record; its lines are
    the sub-results."""

    url: str  # the event page with the video chosen, relative to the site root
    event: str  # the event's title
    video: str  # the video's title ("Gesamtaufzeichnung", a clip's title)
    lines: list[SpokenLine]
    part: int = 0  # which half hour (0: the first)


@dataclass(frozen=True)
class IndexedPage:
    """A rendered page and what of it the index takes."""

    url: str  # relative to the site root, e.g. "events/<slug>/index.html"
    html: str
    body: bool  # has a `data-pagefind-body` part: the page itself is a result
    videos: list[VideoRecord] = field(default_factory=list)  # the transcripts' records


def read_page(url: str, html: str) -> IndexedPage:
    """The page and its videos' transcripts as records (in page order)."""
    parser = _CueParser(url)
    parser.feed(html)
    parser.close()
    records = [part for video in parser.videos for part in split_parts(video)]
    return IndexedPage(url=url, html=html, body=parser.body, videos=records)


def split_parts(video: VideoRecord, seconds: int = PART_SECONDS) -> list[VideoRecord]:
    """The video's lines in records of `seconds` each (by start time; empty ones left out)."""
    parts: dict[int, list[SpokenLine]] = {}
    for line in video.lines:
        parts.setdefault(int(float(line.seconds)) // seconds, []).append(line)
    return [
        VideoRecord(video.url, video.event, video.video, lines, part=number)
        for number, lines in sorted(parts.items())
    ]


def video_url(page_url: str, video: str) -> str:
    """`events/x/index.html?v=gesamtaufzeichnung`: the record's link; a line adds its time."""
    return f"{page_url}?v={quote(video, safe='')}"


def cue_url(page_url: str, video: str, seconds: str) -> str:
    """`events/x/index.html?v=gesamtaufzeichnung&t=12.5#gesamtaufzeichnung`, the link of a
    line as search.js builds it: player.js seeks there without playing; without script the
    fragment still scrolls to the video."""
    return f"{video_url(page_url, video)}&t={seconds}#{quote(video, safe='')}"


def index_url(record: VideoRecord) -> str:
    """The record's address in the index: its link plus the titles the hit shows.

    The titles ride in the address because Pagefind searches every metadata value: as
    metadata, a word of an event's title would make each of its videos a hit, besides
    the event page. search.js reads them and drops them from the links it builds."""
    event, video = quote(record.event, safe=""), quote(record.video, safe="")
    address = f"{record.url}&{EVENT_PARAM}={event}&{VIDEO_PARAM}={video}"
    return f"{address}&{PART_PARAM}={record.part}" if record.part else address


def record_html(record: VideoRecord) -> str:
    """The page Pagefind indexes for one video: each line a heading whose id is its time,
    and nothing else, so only what was said is found."""
    lines = "\n".join(
        f'<h2 id="{ANCHOR_PREFIX}{line.seconds}">{escape(line.text)}</h2>' for line in record.lines
    )
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"></head>'
        f"<body><main data-pagefind-body>\n{lines}\n</main></body></html>"
    )


class _CueParser(HTMLParser):
    """Collects `li[data-search-cue]` lines: the time link's text is the time, the rest the
    cue's text. The pages are clipper's own (well-formed), so a flat state machine is enough."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.body = False
        self.videos: list[VideoRecord] = []
        self.event = ""
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
            self.videos.append(
                VideoRecord(
                    url=video_url(self.url, found["data-search-video"] or ""),
                    event=self.event,
                    video=found.get("data-search-video-title") or "",
                    lines=[],
                )
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
        if not text or not self.videos:
            return
        time = " ".join("".join(self.time).split())
        self.videos[-1].lines.append(SpokenLine(seconds=start, time=time, text=text))
