"""Reading and writing WebVTT: real German subtitles survive a round trip unchanged."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from conftest import DATA

from clipper.subtitles import read_subtitles
from clipper.subtitles.retime import Span, retime_cues
from clipper.subtitles.vtt import Track, format_vtt


def test_reads_real_german_subtitles() -> None:
    track = read_subtitles(DATA / "sintel-de.vtt")
    assert len(track.cues) == 14
    first, third = track.cues[0], track.cues[3]
    assert (first.id, first.start_ms, first.end_ms, first.voice) == ("0", 0, 12_000, "Test")
    assert third.text == "Es ist töricht, so ganz allein und\nunvorbereitet zu reisen!"
    assert third.plain_text == "Es ist töricht, so ganz allein und unvorbereitet zu reisen!"
    assert track.cues[-1].start_ms == 118_250


def test_round_trip_keeps_ids_text_and_settings(tmp_path: Path) -> None:
    for name in ("sintel-de.vtt", "friday.vtt"):
        track = read_subtitles(DATA / name)
        copy = tmp_path / name
        copy.write_text(format_vtt(track), encoding="utf-8")
        assert read_subtitles(copy) == track


def test_retimed_real_subtitles_keep_umlauts_and_multiline_text() -> None:
    track = read_subtitles(DATA / "sintel-de.vtt")
    out = retime_cues(track.cues, [Span(Fraction(29), Fraction(38), Fraction(0))])
    assert [(c.id, c.start_ms, c.end_ms) for c in out] == [
        ("3", 0, 3_450),
        ("4", 3_750, 6_800),
        ("5", 7_250, 8_300),
    ]
    assert "fließt" in out[1].text and "\n" in out[1].text


def test_style_blocks_travel_with_the_cues(tmp_path: Path) -> None:
    source = tmp_path / "s.vtt"
    source.write_text(
        'WEBVTT\n\nSTYLE\n::cue(v[voice="Anna"]) { color: yellow }\n\n'
        "00:00.000 --> 00:01.000\n<v Anna>Hallo</v>\n",
        encoding="utf-8",
    )
    track = read_subtitles(source)
    assert track.styles == ['::cue(v[voice="Anna"]) { color: yellow }']
    assert "STYLE\n::cue" in format_vtt(Track(track.cues, track.styles))
