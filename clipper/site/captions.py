"""Caption and chapter tracks as the published page needs them.

- Browsers do not display `<v Name>` voice names, so the published captions name the
  speaker in the text whenever the speaker changes (WCAG 1.2.2 asks for speaker names).
  The transcript on the page and the recording's cues themselves are not changed.
- A clip's chapters become a WebVTT `kind="chapters"` track.
- `data:` URLs let a page opened from disk (file://) show captions: Chromium refuses to
  load `<track>` files there, but accepts inline data.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from clipper.site.model import Chapter, EventPage
from clipper.subtitles.model import Cue, voice_span
from clipper.subtitles.vtt import Track


def with_speaker_names(cues: Iterable[Cue]) -> list[Cue]:
    """Prefix `Name: ` to the first cue of each speaker's turn (inside the voice span)."""
    named: list[Cue] = []
    previous: str | None = None
    for cue in cues:
        voice = cue.voice
        if voice and voice != previous:
            match = voice_span(cue.text)  # the tag cue.voice read the name from
            assert match is not None  # cue.voice found it
            label = html.escape(voice, quote=False)
            text = cue.text[: match.end()] + f"{label}: " + cue.text[match.end() :]
            cue = replace(cue, text=text)
        if voice or cue.plain_text:
            previous = voice
        named.append(cue)
    return named


def transcript_cues(cues: Iterable[Cue]) -> list[Cue]:
    """The cues as the page's transcript lists them: a first line that repeats the previous
    cue's last line is left out, and a cue with nothing else (YouTube's rolling captions:
    each line comes again in the next cue and in a 10 ms cue between) is not listed again.

    Only such carried-over lines go: a one-line cue said twice ("Ja.") and lines with a
    voice span stay. The captions themselves roll as written.
    """
    shown: list[Cue] = []
    previous_last = ""
    for cue in cues:
        lines = cue.text.split("\n")
        plain = [_plain(line) for line in lines]
        carried = (
            len(lines) > 1
            and plain[0] != ""
            and plain[0] == previous_last
            and voice_span(lines[0]) is None
        )
        said = [p for p in plain if p]
        previous_last = said[-1] if said else previous_last
        if not carried:
            shown.append(cue)
        elif any(plain[1:]):
            shown.append(replace(cue, text="\n".join(lines[1:])))
    return shown


def _plain(line: str) -> str:
    return Cue(0, 0, line).plain_text


def chapters_track(chapters: list[Chapter]) -> Track:
    """A WebVTT chapters track: one cue per chapter, its title as plain text."""
    cues = [
        Cue(c.start_ms, max(c.end_ms, c.start_ms), html.escape(c.title, quote=False), id=f"k{n}")
        for n, c in enumerate(chapters, start=1)
    ]
    return Track(cues=cues)


def recording_chapters(chapters: Iterable[Chapter]) -> list[Chapter]:
    """The clips' chapters placed in the full recording, in time order, without overlaps.

    A chapters track must not have partly overlapping cues, so where two clips share a
    stretch of the recording the earlier-starting chapter is kept.
    """
    placed = sorted(
        (
            Chapter(
                title=c.title,
                start_ms=c.source_start_ms,
                end_ms=c.source_start_ms + (c.end_ms - c.start_ms),
                source_start_ms=c.source_start_ms,
            )
            for c in chapters
        ),
        key=lambda c: (c.start_ms, c.end_ms),
    )
    kept: list[Chapter] = []
    for chapter in placed:
        if not kept or chapter.start_ms >= kept[-1].end_ms:
            kept.append(chapter)
    return kept


def vtt_data_url(path: Path) -> str:
    """The file as a `data:text/vtt` URL (base64, so any text survives in an attribute)."""
    return "data:text/vtt;charset=utf-8;base64," + base64.b64encode(path.read_bytes()).decode()


def embed_tracks(page: EventPage, site_dir: Path) -> EventPage:
    """Point each `<track>` at a data: URL of its file (the files stay for downloads)."""
    folder = site_dir / Path(page.href).parent
    videos = [
        replace(
            video,
            captions_track_src=vtt_data_url(folder / video.captions_href)
            if video.captions_href
            else None,
            chapters_track_src=vtt_data_url(folder / video.chapters_href)
            if video.chapters_href
            else None,
        )
        for video in page.videos
    ]
    return replace(page, videos=videos)
