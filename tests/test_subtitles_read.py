"""Reading a user's subtitle file: WebVTT as browsers read it, SRT, and the encodings Windows
tools write. Every skipped cue is named by its line; random input raises only SubtitleError."""

from __future__ import annotations

import codecs
import contextlib
import io
import zipfile
from pathlib import Path
from textwrap import dedent

import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.errors import SubtitleError
from clipper.files.text import UndecodableError, decode_text
from clipper.subtitles import Cue, Track, read_subtitles
from clipper.subtitles.srt import format_srt, parse_srt
from clipper.subtitles.vtt import format_vtt
from clipper.subtitles.webvtt_parser import parse_webvtt

GERMAN = "Begrüßung, Straße, Ärger, „Zitat“"

SRT = dedent(
    f"""\
    1
    00:00:01,000 --> 00:00:03,500
    <i>{GERMAN}</i>

    2
    00:00:04,250 --> 00:00:06,000
    Zweite Zeile,
    mit Komma & <b>fett</b>
    """
)


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "bom", "name"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", codecs.BOM_UTF8, "UTF-8"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
        ("utf-16-le", b"", "UTF-16"),
        ("utf-16-be", b"", "UTF-16"),
        ("cp1252", b"", "Windows-1252"),
        ("mac_roman", b"", "Mac OS Roman"),
    ],
)
def test_german_text_survives_every_encoding(codec: str, bom: bytes, name: str) -> None:
    text = f"WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\n{GERMAN}\r\n"
    decoded = decode_text(bom + text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, name)


@pytest.mark.parametrize(
    "text",
    [
        "Kosten: 5 € … laut § 3",  # Windows-1252 symbols, no umlauts: not taken for Mac
        "Šimon Novák dankt für die Einladung",  # Š beside Windows umlauts
    ],
)
def test_windows_1252_is_not_mistaken_for_mac_roman(text: str) -> None:
    decoded = decode_text(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "Windows-1252")


def test_bytes_that_fit_no_encoding_are_refused_not_replaced(tmp_path: Path) -> None:
    with pytest.raises(UndecodableError, match="0x81"):
        decode_text(b"WEBVTT\n\n\x81\xff")
    path = write(tmp_path, "kaputt.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nA\x81\n")
    with pytest.raises(SubtitleError, match=r"kaputt\.vtt: cannot read the text"):
        read_subtitles(path)


def test_windows_1252_srt_is_read_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path, "rede.srt", SRT.replace("\n", "\r\n").encode("cp1252"))
    seen: list[str] = []
    track = read_subtitles(path, warn=seen.append)
    assert track.cues[0].text == f"<i>{GERMAN}</i>"
    assert seen == [f"{path}:1: not UTF-8: read as Windows-1252 (clipper writes UTF-8)"]


# --- WebVTT ------------------------------------------------------------------------------


def test_webvtt_blocks_ids_settings_and_voices() -> None:
    text = dedent(
        """\
        WEBVTT Ratssitzung
        Kind: captions
        Language: de

        STYLE
        ::cue(v[voice="Anna"]) { color: yellow }

        REGION
        id:unten width:40%

        NOTE Transkript der Sitzung,
        zweite Zeile

        begruessung
        0:00:01.000 --> 0:00:03.000 align:start position:0%
        <v Anna>Grüß Gott,</v>
        <v.laut Ben>liebe Gäste!

        01:02.500-->01:04.000	line:80%
        Straße

        2:00:00.000 --> 2:00:01.000
        Ärger
        """
    )
    parsed = parse_webvtt(text)
    assert (parsed.problems, parsed.notes) == ([], [])
    track = parsed.track
    assert (track.title, track.header) == ("Ratssitzung", ["Kind: captions", "Language: de"])
    assert track.styles == ['::cue(v[voice="Anna"]) { color: yellow }']
    assert track.regions == ["id:unten width:40%"]
    assert track.notes == ["Transkript der Sitzung,\nzweite Zeile"]
    assert track.cues == [
        Cue(1000, 3000, "<v Anna>Grüß Gott,</v>\n<v.laut Ben>liebe Gäste!", "begruessung",
            "align:start position:0%"),
        Cue(62_500, 64_000, "Straße", "", "line:80%"),
        Cue(7_200_000, 7_201_000, "Ärger"),
    ]  # fmt: skip
    assert track.cues[0].voice == "Anna"
    again = parse_webvtt(format_vtt(track))
    assert again.track == track and again.problems == []


def test_a_line_with_an_arrow_ends_the_cue_text_and_starts_the_next() -> None:
    track = parse_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000\nEins\n00:02.000 --> 00:03.000\n"
                         "Zwei\n").track  # fmt: skip
    assert [(c.start_ms, c.text) for c in track.cues] == [(1000, "Eins"), (2000, "Zwei")]


BROKEN = {
    "timestamp": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nGut\n\n00:0x.000 --> 00:03.000\nKaputt\n",
        6,
        "malformed cue timing '00:0x.000 --> 00:03.000': the start time is malformed",
    ),
    "end before start": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nGut\n\n00:05.000 --> 00:04.000\nRückwärts\n",
        6,
        "the cue ends (00:00:04.000) before it starts (00:00:05.000)",
    ),
    "no timing line": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nGut\n\nHallo\nWelt\n",
        6,
        "the block starting 'Hallo' has no cue timing line, so players skip it",
    ),
    "cue in the header": (
        "WEBVTT\n00:00.000 --> 00:01.000\nVerloren\n\n00:01.000 --> 00:02.000\nGut\n",
        2,
        "cue timing in the header, so players skip this cue",
    ),
    "cue inside a NOTE": (
        "WEBVTT\n\nNOTE Kommentar\n00:00.000 --> 00:01.000\nVerloren\n\n"
        "00:01.000 --> 00:02.000\nGut\n",
        4,
        "cue timing inside a NOTE block, so players skip this cue",
    ),
    "separator": (
        "WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nGut\r\n\r\n00:03.000 - 00:04.000\r\nWeg\r\n",
        6,
        "the block starting '00:03.000 - 00:04.000' has no cue timing line",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_cues_are_named_by_line(tmp_path: Path, case: str) -> None:
    text, line, message = BROKEN[case]
    path = write(tmp_path, "rede.vtt", text)
    with pytest.raises(SubtitleError) as raised:
        read_subtitles(path)
    assert (raised.value.path, raised.value.line) == (path, line)
    assert message in str(raised.value) and str(path) in str(raised.value)
    seen: list[str] = []
    track = read_subtitles(path, lenient=True, warn=seen.append)
    assert [c.text for c in track.cues] == ["Gut"]
    assert len(seen) == 1 and seen[0].startswith(f"{path}:{line}: {message}")


def test_strict_error_counts_further_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "t.vtt", "WEBVTT\n\nx --> y\nA\n\nz --> w\nB\n")
    with pytest.raises(SubtitleError, match=r"line 3: .*1 more problem\(s\) after this one"):
        read_subtitles(path)


def test_teams_times_and_lone_youtube_ids_are_read_with_notes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "teams.vtt",
        "WEBVTT\n\n7\n\n8\n0:01:05.2 --> 0:1:7.25\n<v Jürgen Groß>Guten Morgen.</v>\n",
    )
    seen: list[str] = []
    track = read_subtitles(path, warn=seen.append)  # strict: notes are not errors
    assert track.cues == [Cue(65_200, 67_250, "<v Jürgen Groß>Guten Morgen.</v>", "8")]
    assert seen == [
        f"{path}:3: cue id '7' without a cue; skipped",
        f"{path}:6: the time '0:01:05.2' is not valid WebVTT (browsers would skip the cue); "
        "clipper reads it as 00:01:05.200 (and 1 more such time, up to line 6)",
    ]


def test_a_teams_file_gets_one_note_for_all_its_short_times(tmp_path: Path) -> None:
    """Every cue of such a file has them: 2,000 lines of notes would hide a real problem."""
    cues = "".join(
        f"{n}\n0:0:{n}.5 --> 0:0:{n + 1}.25\n<v Müller, Jürgen>Satz {n}.</v>\n\n"
        for n in range(1, 9)
    )
    path = write(tmp_path, "teams.vtt", "WEBVTT\n\n" + cues)
    seen: list[str] = []
    track = read_subtitles(path, warn=seen.append)
    assert len(track.cues) == 8 and track.cues[-1].end_ms == 9_250
    assert seen == [
        f"{path}:4: the time '0:0:1.5' is not valid WebVTT (browsers would skip the cue); "
        "clipper reads it as 00:00:01.500 (and 15 more such times, up to line 32)"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"WEBVTTX\n\n00:01.000 --> 00:02.000\nA\n", "first line must be WEBVTT"),
        (b"\nWEBVTT\n\n00:01.000 --> 00:02.000\nA\n", "first line must be WEBVTT"),
        (b"\x00\x01\x02\xff\xfe\x00", "NUL bytes"),
    ],
)
def test_files_that_are_not_subtitles_are_refused(
    tmp_path: Path, data: bytes, message: str
) -> None:
    with pytest.raises(SubtitleError, match=message):
        read_subtitles(write(tmp_path, "x.vtt", data), lenient=True)


def test_a_recording_given_as_transcript_is_named_as_such() -> None:
    with pytest.raises(
        SubtitleError, match=r"friday\.mp4: .*give the transcript \(\.vtt or \.srt\)"
    ):
        read_subtitles(DATA / "friday.mp4")


def test_a_teams_word_transcript_is_refused_naming_the_vtt_download(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<d/>")
    path = write(tmp_path, "Transkript.docx", buffer.getvalue())
    with pytest.raises(SubtitleError, match=r"Transkript\.docx: is a Word document.*\.vtt"):
        read_subtitles(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SubtitleError, match=r"fehlt\.vtt: subtitle file not found"):
        read_subtitles(tmp_path / "fehlt.vtt")


def test_real_files_read_as_before() -> None:
    track = read_subtitles(DATA / "sintel-de.vtt")
    assert len(track.cues) == 14 and track.cues[3].text.startswith("Es ist töricht,")
    assert all(c.settings == "line:80%" for c in read_subtitles(DATA / "friday.vtt").cues)


# --- SRT ---------------------------------------------------------------------------------


def test_srt_with_commas_numbers_and_tags() -> None:
    parsed = parse_srt(SRT)
    assert parsed.problems == []
    assert parsed.track.cues == [
        Cue(1000, 3500, f"<i>{GERMAN}</i>", "1"),
        Cue(4250, 6000, "Zweite Zeile,\nmit Komma & <b>fett</b>", "2"),
    ]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r", "\r\r\n"], ids=["LF", "CRLF", "CR", "CRCRLF"])
def test_srt_line_ends_of_windows_tools(end: str) -> None:
    """CR CR LF comes from scripts that write CRLF through a Windows text-mode file."""
    parsed = parse_srt(SRT.replace("\n", end))
    assert parsed.problems == []
    assert [c.text for c in parsed.track.cues] == [c.text for c in parse_srt(SRT).track.cues]


def test_srt_cue_without_a_blank_line_before_it_is_not_swallowed() -> None:
    """Hand-edited SRT often loses a blank line; the next cue must not become text."""
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nHallo zusammen\n"
        "2\n00:00:03,000 --> 00:00:04,000\nWillkommen in Lünen\n"
        "00:00:05,000 --> 00:00:06,000\nOhne Nummer\n\n"
        "4\n00:00:07,000 --> 00:00:08,000\nEnde\n"
    )
    parsed = parse_srt(text)
    assert parsed.problems == []
    assert parsed.track.cues == [
        Cue(1000, 2000, "Hallo zusammen", "1"),
        Cue(3000, 4000, "Willkommen in Lünen", "2"),
        Cue(5000, 6000, "Ohne Nummer"),
        Cue(7000, 8000, "Ende", "4"),
    ]
    assert [(p.line, p.message) for p in parsed.notes] == [
        (4, "a cue starts here without a blank line before it; read as a new cue"),
        (7, "a cue starts here without a blank line before it; read as a new cue"),
    ]
    empty = parse_srt("1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n")
    assert [c.text for c in empty.track.cues] == ["", ""] and empty.notes == []


def test_vtt_cue_id_without_a_blank_line_before_it_is_noted(tmp_path: Path) -> None:
    """Browsers show such an id as text of the cue before; clipper reads it so too, and says."""
    path = write(
        tmp_path,
        "t.vtt",
        "WEBVTT\n\n1\n00:01.000 --> 00:02.000\nHallo zusammen\n2\n00:03.000 --> 00:04.000\nDa\n",
    )
    seen: list[str] = []
    track = read_subtitles(path, warn=seen.append)
    assert [c.text for c in track.cues] == ["Hallo zusammen\n2", "Da"]
    assert seen == [
        f"{path}:6: the line '2' looks like the next cue's id but is shown as text of the "
        "cue before (add a blank line before it)"
    ]


def test_srt_is_recognised_by_content_and_vtt_by_its_signature(tmp_path: Path) -> None:
    renamed = read_subtitles(write(tmp_path, "umbenannt.vtt", SRT))
    assert renamed.cues[1].start_ms == 4250
    vtt_named_srt = write(tmp_path, "falsch.srt", "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n")
    assert read_subtitles(vtt_named_srt).cues == [Cue(1000, 2000, "A")]


def test_srt_short_times_and_broken_blocks(tmp_path: Path) -> None:
    text = (
        "1\n0:00:01.5 --> 0:0:2,25\nA < B\n\n2\n00:00:03,000 -> 00:00:04,000\nWeg\n\n"
        "3\nText\n\nohne Zeit\n"
    )
    parsed = parse_srt(text)
    assert parsed.track.cues == [Cue(1500, 2250, "A &lt; B", "1")]
    assert [(p.line, p.message) for p in parsed.problems] == [
        (6, "malformed cue timing '00:00:03,000 -> 00:00:04,000'"),
        (10, "malformed cue timing 'Text'"),
        (12, "the block starting 'ohne Zeit' has no cue timing line"),
    ]
    path = write(tmp_path, "t.srt", text)
    with pytest.raises(SubtitleError, match=r"t.srt, line 6: malformed cue timing"):
        read_subtitles(path)


def test_vtt_to_srt_writes_speakers_players_show() -> None:
    track = Track(
        [
            Cue(0, 1500, "<v Anna Berger>Grüß Gott,</v>\n<c.gelb>liebe</c> <i.x>Gäste</i> &amp; "
                "Straße", "a", "line:80%"),
            Cue(3_600_000, 3_601_000, "<v.laut Ben>Tschüß"),
        ]
    )  # fmt: skip
    assert format_srt(track) == dedent(
        """\
        1
        00:00:00,000 --> 00:00:01,500
        Anna Berger: Grüß Gott,
        liebe <i>Gäste</i> & Straße

        2
        01:00:00,000 --> 01:00:01,000
        Ben: Tschüß
        """
    )


def test_srt_round_trip_keeps_times_text_and_tags() -> None:
    track = parse_srt(SRT).track
    again = parse_srt(format_srt(track)).track
    assert again == track
    assert parse_webvtt(format_vtt(track)).track.cues == track.cues


# --- nothing but SubtitleError, whatever the input ----------------------------------------

VTTISH = st.text(alphabet="WEBVTNOSYLRGI \t\r\n-->:.,0123456789<v/>äß&;", max_size=300)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=VTTISH, header=st.sampled_from(["WEBVTT\n\n", "WEBVTT\n", "", "1\n"]))
def test_random_text_reads_or_raises_subtitle_error(body: str, header: str) -> None:
    try:
        parsed = parse_webvtt(header + body)
    except SubtitleError:
        return
    # what clipper writes reads back to the same cues, with nothing skipped
    again = parse_webvtt(format_vtt(parsed.track))
    assert again.track.cues == parsed.track.cues and again.problems == []
    srt = parse_srt(body)
    assert all(c.start_ms <= c.end_ms for c in srt.track.cues)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200), suffix=st.sampled_from([".vtt", ".srt", ".txt"]))
def test_random_bytes_raise_only_subtitle_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"zufall{suffix}"
    path.write_bytes(data)
    for lenient in (False, True):
        with contextlib.suppress(SubtitleError):  # anything else fails the test
            read_subtitles(path, lenient=lenient, warn=lambda _: None)


def test_style_after_the_first_cue_is_kept_with_a_note() -> None:
    parsed = parse_webvtt(
        "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nSTYLE\n::cue { color: gold }\n\n"
        "STYLE\n00:02.000 --> 00:03.000\nB\n"
    )
    assert parsed.problems == []
    assert [(n.line, n.message) for n in parsed.notes] == [
        (6, "STYLE block after the first cue: players ignore it")
    ]
    assert parsed.track.styles == ["::cue { color: gold }"]
    assert [c.id for c in parsed.track.cues] == ["", "STYLE"]  # a cue may be called STYLE


@pytest.mark.parametrize(
    ("an", "settings"),
    [(8, "line:0"), (7, "line:0 align:start"), (5, "line:50%,center"), (3, "align:end")],
)
def test_srt_positions_become_cue_settings_and_back(an: int, settings: str) -> None:
    srt = f"1\n00:00:01,000 --> 00:00:02,000\n{{\\an{an}}}Bauchbinde verdeckt: oben\n"
    track = parse_srt(srt).track
    assert track.cues == [Cue(1000, 2000, "Bauchbinde verdeckt: oben", "1", settings)]
    assert format_srt(track) == srt


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "rede.vtt",
            "WEBVTT\n\n00:05.000 --> 00:06.000\nZweiter Satz\n\n"
            "00:01.000 --> 00:02.000\nErster Satz\n\n00:00.500 --> 00:00.900\nGruß\n",
            6,
        ),
        (
            "rede.srt",
            "1\n00:00:05,000 --> 00:00:06,000\nZweiter Satz\n\n"
            "2\n00:00:01,000 --> 00:00:02,000\nErster Satz\n\n"
            "3\n00:00:00,500 --> 00:00:00,900\nGruß\n",
            6,
        ),
    ],
)
def test_cues_out_of_time_order_are_kept_and_noted_once(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    path = write(tmp_path, name, text)
    warnings: list[str] = []
    track = read_subtitles(path, warn=warnings.append)  # strict: a note, not a problem
    assert [c.start_ms for c in track.cues] == [5000, 1000, 500]  # nothing dropped or moved
    assert warnings == [
        f"{path}:{line}: this cue (00:00:01.000) starts before the one above it "
        "(00:00:05.000): the cues are not in time order; players and the published page "
        "show them sorted"
    ]
