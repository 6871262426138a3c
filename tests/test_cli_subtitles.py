"""`clipper subtitles check` and `convert`, and --lenient on cut; errors are one line."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

from clirun import one_line_error, run

VTT = dedent(
    """\
    WEBVTT

    NOTE Ratssitzung vom 17. Mai

    1
    00:00:01.000 --> 00:00:03.500 align:start position:0%
    <v Anna Berger>Begrüßung, liebe Gäste!</v>

    2
    00:00:04.000 --> 00:00:06.000
    <v Jürgen Groß><i>Straße</i> & „Zitat“, Ärger
    """
)
BROKEN = VTT + "\n00:00:07.000 --> 00:0x:08.000\nVerloren\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_lists_cues_with_speakers_and_a_summary(tmp_path: Path) -> None:
    path = write(tmp_path, "rede.vtt", VTT)
    result = run("subtitles", "check", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "00:00:01.000 --> 00:00:03.500  [1]  Anna Berger: Begrüßung, liebe Gäste!",
        "00:00:04.000 --> 00:00:06.000  [2]  Jürgen Groß: Straße & „Zitat“, Ärger",
        f"{path}: WebVTT, UTF-8, 2 cues, 00:00:01.000 to 00:00:06.000, 2 speakers",
    ]


def test_check_json_keeps_the_text_as_written(tmp_path: Path) -> None:
    result = run("subtitles", "check", write(tmp_path, "rede.vtt", VTT), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "cues": [
            {"id": "1", "start_ms": 1000, "end_ms": 3500,
             "text": "<v Anna Berger>Begrüßung, liebe Gäste!</v>"},
            {"id": "2", "start_ms": 4000, "end_ms": 6000,
             "text": "<v Jürgen Groß><i>Straße</i> & „Zitat“, Ärger"},
        ]
    }  # fmt: skip


def test_check_refuses_a_broken_cue_naming_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "rede.vtt", BROKEN)
    one_line_error(
        run("subtitles", "check", path),
        f"{path}, line 13: malformed cue timing '00:00:07.000 --> 00:0x:08.000'",
        "the end time is malformed (write it like 00:01:02.500 --> 00:01:04.000)",
    )


def test_check_lenient_lists_the_rest_and_warns_per_skipped_cue(tmp_path: Path) -> None:
    path = write(tmp_path, "rede.vtt", BROKEN)
    result = run("subtitles", "check", path, "--lenient", "--json")
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)["cues"]] == ["1", "2"]
    assert result.stderr.splitlines() == [
        f"warning: {path}:13: malformed cue timing '00:00:07.000 --> 00:0x:08.000': the end "
        "time is malformed (write it like 00:01:02.500 --> 00:01:04.000)"
    ]
    text = run("subtitles", "check", path, "--lenient")
    assert text.stdout.splitlines()[-1].endswith("2 speakers, 1 cue skipped")


def test_readme_example_error(tmp_path: Path) -> None:
    good = "00:00:00.000 --> 00:00:01.000\nA\n\n" * 3  # lines 3 to 11
    path = write(tmp_path, "talk.vtt", f"WEBVTT\n\n{good}00:01:0 --> 00:01:04.000\nB\n")
    one_line_error(
        run("subtitles", "check", path),
        f"{path}, line 12: malformed cue timing '00:01:0 --> 00:01:04.000': the start time is "
        "malformed (write it like 00:01:02.500 --> 00:01:04.000)",
    )


def test_convert_vtt_to_srt_and_back(tmp_path: Path) -> None:
    vtt = write(tmp_path, "rede.vtt", VTT)
    srt = tmp_path / "aus" / "rede.srt"
    result = run("subtitles", "convert", vtt, srt)
    assert result.exit_code == 0, result.output
    assert f"Wrote {srt} (SRT, 2 cues)" in result.stdout
    assert result.stderr.splitlines() == [
        "note: SRT cannot hold the cue settings of 1 cue(s), e.g. 'align:start position:0%'; "
        "left out",
        "note: SRT cannot hold 1 NOTE comment(s); left out",
    ]
    assert srt.read_text(encoding="utf-8") == dedent(
        """\
        1
        00:00:01,000 --> 00:00:03,500
        Anna Berger: Begrüßung, liebe Gäste!

        2
        00:00:04,000 --> 00:00:06,000
        Jürgen Groß: <i>Straße</i> & „Zitat“, Ärger
        """
    )
    back = tmp_path / "zurück.vtt"
    assert run("subtitles", "convert", srt, back).exit_code == 0
    assert back.read_text(encoding="utf-8") == dedent(
        """\
        WEBVTT

        1
        00:00:01.000 --> 00:00:03.500
        Anna Berger: Begrüßung, liebe Gäste!

        2
        00:00:04.000 --> 00:00:06.000
        Jürgen Groß: <i>Straße</i> & „Zitat“, Ärger
        """
    )
    assert sorted(p.name for p in srt.parent.iterdir()) == ["rede.srt"]  # no temp files


DIALOG_SRT = dedent(
    """\
    1
    00:00:01,000 --> 00:00:03,000
    Anna Berger: Willkommen in Lünen!

    2
    00:00:03,000 --> 00:00:06,000
    Jürgen Groß: Danke. Die Straße
    ist fertig.
    Anna Berger: Schön!

    3
    00:00:06,000 --> 00:00:08,000
    Hinweis: Ton fehlt kurz.

    4
    00:00:08,000 --> 00:00:09,000
    Jürgen Groß : Genau.

    5
    00:00:09,000 --> 00:00:10,000
    Hinweis: Ende.
    """
)


def test_convert_srt_names_to_voices_only_for_the_speakers_given(tmp_path: Path) -> None:
    srt = write(tmp_path, "dialog.srt", DIALOG_SRT)
    plain = tmp_path / "plain.vtt"
    result = run("subtitles", "convert", srt, plain)
    assert result.exit_code == 0, result.output
    assert "<v" not in plain.read_text(encoding="utf-8")  # a colon alone makes no speaker
    assert result.stderr.strip() == (
        "note: lines start with names and a colon (Anna Berger, Jürgen Groß, Hinweis); "
        'to mark them as speakers, convert again with --speaker "Anna Berger" '
        '--speaker "Jürgen Groß" --speaker Hinweis'
    )

    voiced = tmp_path / "voiced.vtt"
    result = run(
        "subtitles", "convert", srt, voiced, "--speaker", "Anna Berger", "--speaker", "Jürgen Groß"
    )
    assert result.exit_code == 0 and result.stderr == "", result.output
    texts = [
        c["text"] for c in json.loads(run("subtitles", "check", voiced, "--json").stdout)["cues"]
    ]
    assert texts == [
        "<v Anna Berger>Willkommen in Lünen!",
        "<v Jürgen Groß>Danke. Die Straße\nist fertig.</v>\n<v Anna Berger>Schön!",
        "Hinweis: Ton fehlt kurz.",
        "<v Jürgen Groß>Genau.",
        "Hinweis: Ende.",
    ]


def test_convert_vtt_to_srt_and_back_with_speakers_is_lossless_for_voices(tmp_path: Path) -> None:
    vtt = write(tmp_path, "rede.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna Berger>Hallo\n")
    srt, back = tmp_path / "rede.srt", tmp_path / "zurück.vtt"
    assert run("subtitles", "convert", vtt, srt).exit_code == 0
    assert run("subtitles", "convert", srt, back, "--speaker", "Anna Berger").exit_code == 0
    cues = json.loads(run("subtitles", "check", back, "--json").stdout)["cues"]
    assert [(c["start_ms"], c["end_ms"], c["text"]) for c in cues] == [
        (1000, 2000, "<v Anna Berger>Hallo")
    ]


def test_convert_refuses_a_name_that_cannot_be_a_voice(tmp_path: Path) -> None:
    srt = write(tmp_path, "dialog.srt", DIALOG_SRT)
    one_line_error(run("subtitles", "convert", srt, tmp_path / "x.vtt", "--speaker", "<b>"))
    assert not (tmp_path / "x.vtt").exists()


def test_convert_windows_srt_to_utf8_vtt(tmp_path: Path) -> None:
    srt = tmp_path / "alt.srt"
    srt.write_bytes(
        "1\r\n00:00:01,000 --> 00:00:02,000\r\nÄrger über die Straße\r\n".encode("cp1252")
    )
    result = run("subtitles", "convert", srt, tmp_path / "neu.vtt")
    assert result.exit_code == 0, result.output
    assert "read as Windows-1252" in result.stderr
    assert "Ärger über die Straße" in (tmp_path / "neu.vtt").read_text(encoding="utf-8")


def test_convert_refuses_to_overwrite_its_input_and_unknown_formats(tmp_path: Path) -> None:
    vtt = write(tmp_path, "rede.vtt", VTT)
    one_line_error(run("subtitles", "convert", vtt, vtt), "refusing to overwrite")
    one_line_error(run("subtitles", "convert", vtt, tmp_path / "rede.txt"), "'.txt'", ".srt")
    one_line_error(run("subtitles", "convert", tmp_path / "fehlt.srt", tmp_path / "x.vtt"),
                   "fehlt.srt: subtitle file not found")  # fmt: skip
    assert vtt.read_text(encoding="utf-8") == VTT
    broken = write(tmp_path, "kaputt.vtt", BROKEN)
    one_line_error(run("subtitles", "convert", broken, tmp_path / "k.srt"), "line 13")
    assert not (tmp_path / "k.srt").exists()


def test_subtitle_commands_have_help() -> None:
    for command in ("check", "convert"):
        result = run("subtitles", command, "--help")
        assert result.exit_code == 0 and "--lenient" in result.stdout
    assert "check" in run("subtitles", "--help").stdout


# --- the other commands read through the same reader ---------------------------------------


def test_cut_refuses_a_broken_transcript_unless_lenient(tmp_path: Path, h264_source: Path) -> None:
    ranges = write(tmp_path, "ranges.txt", "0:00 - 0:02\n")
    vtt = write(tmp_path, "t.vtt", BROKEN.replace("00:00:07.000", "00:00:01.500"))
    out = tmp_path / "c.mp4"
    one_line_error(run("cut", h264_source, "-r", ranges, "-o", out, "-s", vtt), "t.vtt, line 13")
    assert not out.exists()
    result = run("cut", h264_source, "-r", ranges, "-o", out, "-s", vtt, "--lenient")
    assert result.exit_code == 0, result.output
    assert f"warning: {vtt}:13: malformed cue timing" in result.stderr
    assert "Begrüßung" in out.with_suffix(".vtt").read_text(encoding="utf-8")


def test_publish_lenient_warns_per_skipped_cue(tmp_path: Path, h264_source: Path) -> None:
    from office import complete_settings
    from test_publish import make_project

    from clipper.errors import SubtitleError
    from clipper.site.build import publish

    make_project(tmp_path, h264_source)
    complete_settings(tmp_path)
    transcript = tmp_path / "transcripts" / "foerderung.de.vtt"
    transcript.write_text(BROKEN, encoding="utf-8")
    try:
        publish(tmp_path)
    except SubtitleError as exc:
        assert (exc.path, exc.line) == (transcript, 13)
    else:
        raise AssertionError("a broken transcript must stop the publish")
    result = run("publish", "--project", tmp_path, "--lenient")
    assert result.exit_code == 0, result.output
    assert f"warning: {transcript}:13: malformed cue timing" in result.stderr
    page = next((tmp_path / "site" / "events").glob("*/gesamtaufzeichnung.vtt"))
    assert "Begrüßung" in page.read_text(encoding="utf-8")


def test_ingest_stores_an_srt_transcript_as_webvtt(tmp_path: Path, h264_source: Path) -> None:
    from clipper.archive.event import load_event

    recording = tmp_path / "sitzung.mp4"
    recording.write_bytes(h264_source.read_bytes())
    srt = tmp_path / "sitzung-de.srt"
    srt.write_bytes("1\r\n00:00:00,500 --> 00:00:02,000\r\nGrüß Gott!\r\n".encode("cp1252"))
    project = tmp_path / "projekt"
    result = run("ingest", recording, "--project", project, "--title", "Sitzung",
                 "--date", "2024-05-17", "--transcript", srt)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "the transcript (SRT, Windows-1252) is stored as WebVTT in UTF-8" in result.output
    event = load_event(project / "recordings" / "sitzung", project)
    assert event.transcript is not None and event.transcript.name == "sitzung-de.vtt"
    assert event.transcript.read_text(encoding="utf-8") == (
        "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\nGrüß Gott!\n"
    )
    broken = write(tmp_path, "kaputt.srt", "1\n00:00:01,000 --> gestern\nText\n")
    one_line_error(
        run("ingest", recording, "--project", tmp_path / "p2", "--transcript", broken),
        "kaputt.srt, line 2: malformed cue timing",
    )


ZOOM_VTT = dedent(
    """\
    WEBVTT

    1
    00:00:01.200 --> 00:00:04.500
    Anna Berger: Guten Morgen, herzlich willkommen zur Ratssitzung.

    2
    00:00:04.600 --> 00:00:08.100
    Müller, Jürgen: Danke. Hinweis: die Anlagen liegen aus.

    3
    00:00:08.200 --> 00:00:11.000
    Anna Berger: Wir beginnen mit Punkt 1.

    4
    00:00:11.100 --> 00:00:14.000
    Müller, Jürgen: Einverstanden.

    5
    00:00:14.100 --> 00:00:16.000
    Stadtwerke Müller & Söhne: Eine Frage.
    """
)


def test_check_suggests_speakers_for_a_zoom_transcript(tmp_path: Path) -> None:
    """Zoom writes `Name: text` (no voice spans); check says how to mark the speakers."""
    zoom = write(tmp_path, "zoom.vtt", ZOOM_VTT)
    result = run("subtitles", "check", zoom)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        "note: lines start with names and a colon (Anna Berger, Müller, Jürgen); to mark them "
        'as speakers, give --speaker "Anna Berger" --speaker "Müller, Jürgen" to clipper '
        "ingest or clipper subtitles convert"
    )
    assert run("subtitles", "check", zoom, "--json").stderr == ""  # JSON is for programs


def test_convert_zoom_speakers_with_commas_ampersands_and_decomposed_umlauts(
    tmp_path: Path,
) -> None:
    nfd = ZOOM_VTT.replace("ü", "u\u0308")  # as a macOS tool writes it
    zoom = write(tmp_path, "zoom.vtt", nfd)
    voiced = tmp_path / "sprecher.vtt"
    names = ["Anna Berger", "Müller, Jürgen", "Stadtwerke Müller & Söhne"]
    result = run(
        "subtitles", "convert", zoom, voiced, *[a for n in names for a in ("--speaker", n)]
    )
    assert result.exit_code == 0, result.output
    cues = json.loads(run("subtitles", "check", voiced, "--json").stdout)["cues"]
    assert [c["text"] for c in cues] == [
        "<v Anna Berger>Guten Morgen, herzlich willkommen zur Ratssitzung.",
        "<v Müller, Jürgen>Danke. Hinweis: die Anlagen liegen aus.",
        "<v Anna Berger>Wir beginnen mit Punkt 1.",
        "<v Müller, Jürgen>Einverstanden.",
        "<v Stadtwerke Müller &amp; Söhne>Eine Frage.",
    ]
    listing = run("subtitles", "check", voiced).stdout
    assert "Stadtwerke Müller & Söhne: Eine Frage." in listing
    assert "3 speakers" in listing
    typo = run("subtitles", "convert", zoom, tmp_path / "t.vtt", "--speaker", "Anna Bergr")
    assert "note: no line starts with 'Anna Bergr:'" in typo.stderr


def test_ingest_marks_the_speakers_given(tmp_path: Path, h264_source: Path) -> None:
    from clipper.archive.event import load_event

    recording = tmp_path / "sitzung.mp4"
    recording.write_bytes(h264_source.read_bytes())
    zoom = write(tmp_path, "zoom.vtt", ZOOM_VTT)
    project = tmp_path / "projekt"
    result = run("ingest", recording, "--project", project, "--title", "Sitzung",
                 "--date", "2024-05-17", "--transcript", zoom,
                 "--speaker", "Anna Berger", "--speaker", "Müller, Jürgen")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "speakers marked: Anna Berger, Müller, Jürgen" in result.output
    event = load_event(project / "recordings" / "sitzung", project)
    assert event.transcript is not None
    stored = event.transcript.read_text(encoding="utf-8")
    assert "<v Müller, Jürgen>Einverstanden." in stored
    assert "Stadtwerke Müller & Söhne: Eine Frage." in stored  # not given: stays text
    assert zoom.read_text(encoding="utf-8") == ZOOM_VTT  # the original is never changed


def test_ingest_without_speakers_suggests_them(tmp_path: Path, h264_source: Path) -> None:
    recording = tmp_path / "sitzung.mp4"
    recording.write_bytes(h264_source.read_bytes())
    zoom = write(tmp_path, "zoom.vtt", ZOOM_VTT)
    result = run("ingest", recording, "--project", tmp_path / "p", "--title", "Sitzung",
                 "--date", "2024-05-17", "--transcript", zoom)  # fmt: skip
    assert result.exit_code == 0, result.output
    note = " ".join(result.output.split())
    stored = Path("p", "recordings", "sitzung")
    assert (
        "lines start with names and a colon (Anna Berger, Müller, Jürgen); they stay text. "
        "To mark them as speakers: clipper subtitles convert "
        f'"{stored / "zoom.vtt"}" "{stored / "zoom-sprecher.vtt"}" --speaker "Anna Berger" '
        '--speaker "Müller, Jürgen", then set transcript = "zoom-sprecher.vtt" in '
        f"{stored / 'event.toml'}"
    ) in note.replace(str(tmp_path) + "/", "")
