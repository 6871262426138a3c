"""Caption and chapter tracks for the page: speaker names, chapters in the recording, data: URLs."""

from __future__ import annotations

import base64
from pathlib import Path

from clipper.site.captions import (
    chapters_track,
    recording_chapters,
    transcript_cues,
    vtt_data_url,
    with_speaker_names,
)
from clipper.site.model import Chapter
from clipper.subtitles.model import Cue
from clipper.subtitles.vtt import format_vtt


def test_speaker_named_when_the_speaker_changes() -> None:
    cues = [
        Cue(0, 1000, "<v Anna Berger>Guten Tag.</v>"),
        Cue(1000, 2000, "<v Anna Berger>Wir beginnen."),
        Cue(2000, 3000, "[Applaus]"),
        Cue(3000, 4000, "<v.loud Ömer & Co>Danke!"),
        Cue(4000, 5000, "<v Anna Berger><i>Gern.</i>"),
    ]
    named = with_speaker_names(cues)
    assert [c.text for c in named] == [
        "<v Anna Berger>Anna Berger: Guten Tag.</v>",
        "<v Anna Berger>Wir beginnen.",
        "[Applaus]",
        "<v.loud Ömer & Co>Ömer &amp; Co: Danke!",
        "<v Anna Berger>Anna Berger: <i>Gern.</i>",
    ]
    assert [c.voice for c in named] == [c.voice for c in cues]  # voice spans are kept


def test_chapters_track_escapes_titles() -> None:
    track = chapters_track([Chapter("Bäume & <Radwege>", 0, 4000, 60_000)])
    assert "k1\n00:00:00.000 --> 00:00:04.000\nBäume &amp; &lt;Radwege&gt;\n" in format_vtt(track)


def test_recording_chapters_are_ordered_and_never_overlap() -> None:
    first_clip = [Chapter("B", 0, 5000, 60_000), Chapter("A", 5000, 8000, 10_000)]
    second_clip = [Chapter("B again", 0, 3000, 61_000), Chapter("C", 3000, 6000, 90_000)]
    placed = recording_chapters(first_clip + second_clip)
    assert [(c.title, c.start_ms, c.end_ms) for c in placed] == [
        ("A", 10_000, 13_000),
        ("B", 60_000, 65_000),
        ("C", 90_000, 93_000),
    ]


def test_data_url_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "a.vtt"
    path.write_text('WEBVTT\n\n00:00.000 --> 00:01.000\nÄ "<b>"\n', encoding="utf-8")
    url = vtt_data_url(path)
    assert url.startswith("data:text/vtt;charset=utf-8;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == path.read_bytes()


def test_page_transcript_shows_youtube_rolling_lines_once() -> None:
    """YouTube's auto-captions repeat each line in the next cue (and in a 10 ms cue between):
    the captions roll as on YouTube, the transcript on the page lists each line once."""
    cues = [
        Cue(30, 2110, " \nguten<00:00:00.480><c> Morgen</c><00:00:00.840><c> liebe</c>"),
        Cue(2110, 2120, "guten Morgen liebe\n "),
        Cue(2120, 4500, "guten Morgen liebe\nBürgerinnen<00:00:02.600><c> und</c> Bürger"),
        Cue(4500, 4510, "Bürgerinnen und Bürger\n "),
        Cue(4510, 7000, "Bürgerinnen und Bürger\nwir<00:00:05.000><c> beginnen</c>"),
    ]
    shown = transcript_cues(cues)
    assert [(c.start_ms, c.plain_text) for c in shown] == [
        (30, "guten Morgen liebe"),
        (2120, "Bürgerinnen und Bürger"),
        (4510, "wir beginnen"),
    ]


def test_page_transcript_keeps_ordinary_repetitions() -> None:
    cues = [
        Cue(0, 1000, "<v Anna Berger>Ja."),
        Cue(1000, 2000, "<v Jürgen Groß>Ja."),  # one line: said again, not rolled over
        Cue(2000, 3000, "<v Anna Berger>Gut.\nWeiter."),
        Cue(3000, 4000, "[Applaus]"),
    ]
    assert transcript_cues(cues) == cues
