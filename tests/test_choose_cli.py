"""Choosing what goes into a clip from the command line: `ranges check`, `transcript`,
`cut --range`, and cue selections in event.toml."""

from __future__ import annotations

import unicodedata
from fractions import Fraction
from pathlib import Path
from textwrap import dedent

import pytest
from clirun import one_line_error, run

from clipper.archive.event import load_event
from clipper.errors import ClipperError

TRANSCRIPT = dedent(
    """\
    WEBVTT

    cue-1
    00:00:00.500 --> 00:00:02.000
    <v Anna Berger>Herzlich willkommen in Lünen!

    cue-2
    00:00:02.000 --> 00:00:05.000
    <v Bürgermeister>Wir gehen neue Wege, sagt [bold]Groß[/bold].

    cue-3
    00:00:05.500 --> 00:00:07.000
    Die Straße ist gemacht.
    """
)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "t.vtt").write_text(TRANSCRIPT, encoding="utf-8")
    return tmp_path


def test_ranges_check_shows_resolved_ranges_and_total(files: Path) -> None:
    (files / "r.ranges").write_text(
        "# Auswahl\n0:00 - 0:00,5 Vorspann\n#cue-1  Begrüßung\n„neue Wege“ -0/+0,5s\n",
        encoding="utf-8",
    )
    result = run("ranges", "check", files / "r.ranges", "--transcript", files / "t.vtt")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        " line  start         end              length  label",
        "    2  00:00:00.000  00:00:00.500  00:00.500  Vorspann",
        "    3  00:00:00.500  00:00:02.000  00:01.500  Begrüßung  [#cue-1]",
        "    4  00:00:02.000  00:00:05.500  00:03.500  "
        "Wir gehen neue Wege, sagt [bold]Groß[/bold].  [#cue-2, padded]",
        "Total: 00:00:05.500 in 3 ranges",
    ]


def test_ranges_check_problems_are_one_line(files: Path) -> None:
    (files / "r.ranges").write_text("#cue-1\n#cue-1..#cue-2\n", encoding="utf-8")
    one_line_error(run("ranges", "check", files / "r.ranges"), "line 1", "--transcript")
    one_line_error(
        run("ranges", "check", files / "r.ranges", "-s", files / "t.vtt"),
        "r.ranges, line 2: ranges on lines 1 and 2 overlap",
    )


def test_ranges_check_with_the_source_reads_frame_timecodes(files: Path, h264_source: Path) -> None:
    (files / "f.ranges").write_text("00:00:01:00 - 00:00:02:12 Teil\n", encoding="utf-8")
    one_line_error(run("ranges", "check", files / "f.ranges"), "line 1", "--source")
    result = run("ranges", "check", files / "f.ranges", "--source", h264_source)
    assert result.exit_code == 0, result.output
    assert "00:00:01.000  00:00:02.480" in result.output  # frame 12 at 25 fps
    (files / "f.ranges").write_text("00:00:01:00 - 00:00:09:12\n", encoding="utf-8")
    one_line_error(
        run("ranges", "check", files / "f.ranges", "--source", h264_source),
        "more than a second after the recording's end",
    )


def test_ranges_check_with_the_source_says_what_cut_will_make(
    files: Path, h264_source: Path
) -> None:
    """`cut` snaps to whole frames: the check shows the clip's length as `cut` will write it,
    and refuses what `cut` would refuse (a range shorter than a frame)."""
    (files / "r.ranges").write_text("0:01,01 - 0:02,03 Teil\n0:03 - 0:04,5\n", encoding="utf-8")
    result = run("ranges", "check", files / "r.ranges", "--source", h264_source, "--details")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "Total: 00:00:02.520 in 2 ranges",
        "Clip: 00:00:02.560 (64 frames), each range cut at the nearest frames",
    ]
    cut = run(
        "cut", h264_source, "--ranges", files / "r.ranges", "-o", files / "c.mp4", "--dry-run"
    )
    assert "Clip would be 00:00:02.560 long (64 frames)." in cut.output
    (files / "r.ranges").write_text("0:01 - 0:01,01\n", encoding="utf-8")
    one_line_error(
        run("ranges", "check", files / "r.ranges", "--source", h264_source),
        "r.ranges, line 1: the range 00:00:01.000 - 00:00:01.010 is shorter than one video frame",
    )


def test_transcript_lists_cues_with_references(files: Path) -> None:
    result = run("transcript", files / "t.vtt")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "00:00:00.500  #cue-1  Anna Berger: Herzlich willkommen in Lünen!",
        "00:00:02.000  #cue-2  Bürgermeister: Wir gehen neue Wege, sagt [bold]Groß[/bold].",
        "00:00:05.500  #cue-3  Die Straße ist gemacht.",
    ]


def test_transcript_grep_and_time_window(files: Path) -> None:
    grep = run("transcript", files / "t.vtt", "--grep", "NEUE  wege")
    assert grep.output.splitlines() == [
        "00:00:02.000  #cue-2  Bürgermeister: Wir gehen neue Wege, sagt [bold]Groß[/bold]."
    ]
    window = run("transcript", files / "t.vtt", "--from", "0:02", "--to", "0:05,5")
    assert [line.split()[1] for line in window.output.splitlines()] == ["#cue-2"]
    assert "#cue-3" in run("transcript", files / "t.vtt", "-g", "STRASSE").output
    decomposed = unicodedata.normalize("NFD", "lünen")  # as typed on a Mac
    assert run("transcript", files / "t.vtt", "-g", decomposed).output.splitlines() == [
        "00:00:00.500  #cue-1  Anna Berger: Herzlich willkommen in Lünen!"
    ]
    one_line_error(run("transcript", files / "t.vtt", "--grep", "Rathaus"), "no cue contains")
    one_line_error(run("transcript", files / "t.vtt", "--from", "1:7x"), "--from: cannot read")


def test_cut_needs_exactly_one_way_to_give_ranges(files: Path, h264_source: Path) -> None:
    (files / "r.ranges").write_text("0:01 - 0:02\n", encoding="utf-8")
    out = files / "c.mp4"
    one_line_error(run("cut", h264_source, "-o", out), "either --ranges FILE or")
    one_line_error(
        run("cut", h264_source, "-o", out, "-r", files / "r.ranges", "--range", "0:01-0:02"),
        "either --ranges FILE or",
    )
    one_line_error(
        run("cut", h264_source, "-o", out, "--range", "0:01-0:02", "--range", "0:03-0:0x"),
        "--range 2: cannot read",
    )
    one_line_error(
        run("cut", h264_source, "-o", out, "--range", "0:01-0:03", "--range", "0:02-0:04"),
        "--range 2: ranges 1 and 2 overlap",
    )
    assert not out.exists()


def test_cut_with_range_options_and_cue_selections(files: Path, h264_source: Path) -> None:
    out = files / "c.mp4"
    result = run(
        "cut", h264_source, "-o", out, "--transcript", files / "t.vtt",
        "--range", "#cue-1 -1s/+0s Begrüßung", "--range", "00:00:06:00 - 00:00:07:00",
        "--details",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "note: --range 1: padding clamped at the recording's start" in result.output
    assert "source 00:00:00.000 - 00:00:02.000" in result.output
    assert "source 00:00:06.000 - 00:00:07.000" in result.output
    assert out.exists() and out.with_suffix(".vtt").exists()


EVENT = """\
title = "Förderübergabe"
date = 2024-05-17
recording = "a.mp4"
{transcript}
[[clips]]
title = "Zusammenfassung"
ranges = \"\"\"
#cue-1 Begrüßung
„neue Wege“ -0/+0,5s
{extra}\"\"\"
"""


def make_event(root: Path, *, transcript: bool = True, extra: str = "") -> Path:
    folder = root / "recordings" / "foerderung"
    folder.mkdir(parents=True)
    (folder / "a.mp4").write_bytes(b"not read here")
    (folder / "t.vtt").write_text(TRANSCRIPT, encoding="utf-8")
    line = 'transcript = "t.vtt"\n' if transcript else ""
    (folder / "event.toml").write_text(EVENT.format(transcript=line, extra=extra), "utf-8")
    return folder


def test_event_inline_ranges_errors_name_the_event_toml_line(tmp_path: Path) -> None:
    folder = make_event(tmp_path, extra="0:10 - 0:0x\n")
    with pytest.raises(ClipperError) as info:
        load_event(folder, tmp_path)
    assert str(info.value).startswith(
        f"{folder / 'event.toml'} ([[clips]] 1), line 11: cannot read"
    )


@pytest.mark.parametrize("value", ["0:40 − 1:20 Grußwort", "0:40 bis 1:20", "#cue-1\u00a0Gruß"])
def test_event_one_line_inline_ranges_as_typed_are_ranges_not_file_names(
    tmp_path: Path, value: str
) -> None:
    folder = make_event(tmp_path)
    toml = folder / "event.toml"
    text = toml.read_text("utf-8")
    start = text.index('ranges = """')
    toml.write_text(text[:start] + f'ranges = "{value}"\n', "utf-8")
    (spec,) = load_event(folder, tmp_path).clips[0].specs
    assert spec.line == 8


@pytest.mark.parametrize("name", ["2024-05-17.ranges", "2024-05-17 Auswahl.csv", "1-2.txt"])
def test_event_ranges_file_named_like_a_date_is_a_file(tmp_path: Path, name: str) -> None:
    folder = make_event(tmp_path)
    (folder / name).write_text("0:05;0:10;Begrüßung\n", "utf-8")
    toml = folder / "event.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text[: text.index('ranges = """')] + f'ranges = "{name}"\n', "utf-8")
    clip = load_event(folder, tmp_path).clips[0]
    assert (clip.ranges_source, clip.specs[0].label) == (folder / name, "Begrüßung")


def test_event_cue_selections_need_the_event_transcript(tmp_path: Path) -> None:
    folder = make_event(tmp_path, transcript=False)
    with pytest.raises(ClipperError, match=r"selects cues of the transcript .*line 8"):
        load_event(folder, tmp_path)


def test_event_clip_keeps_specs_until_publish(tmp_path: Path) -> None:
    event = load_event(make_event(tmp_path), tmp_path)
    assert [s.line for s in event.clips[0].specs] == [9, 10]
    assert all(s.needs_transcript for s in event.clips[0].specs)


@pytest.mark.slow
def test_publish_resolves_cue_selections_against_the_event_transcript(
    tmp_path: Path, h264_source: Path
) -> None:
    from clipper.site.build import publish
    from clipper.subtitles import read_subtitles

    folder = make_event(tmp_path)
    (folder / "a.mp4").write_bytes(h264_source.read_bytes())
    result = publish(tmp_path)
    chapters = read_subtitles(result.out_dir / "events/foerderung/zusammenfassung.kapitel.vtt").cues
    assert [(c.start_ms, c.end_ms, c.text) for c in chapters] == [
        (0, 1480, "Begrüßung"),  # 0.5 s - 2 s: 0.52 - 2.0 (ties go to the later frame)
        (1480, 5000, "Wir gehen neue Wege, sagt [bold]Groß[/bold]."),  # 2 s - 5.52 s
    ]


def test_ranges_check_an_event_resolves_each_clip_as_publish_would(
    tmp_path: Path, h264_source: Path
) -> None:
    folder = make_event(tmp_path)
    (folder / "a.mp4").write_bytes(h264_source.read_bytes())
    toml = folder / "event.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[[clips]]\ntitle = "Straße"\nranges = "ende.ranges"\n',
        encoding="utf-8",
    )
    (folder / "ende.ranges").write_text('"Straße ist" +0,25s\n', encoding="utf-8")
    for target in (folder, toml):
        result = run("ranges", "check", target)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0] == "Clip „Zusammenfassung“:"
        assert "00:00:00.500  00:00:02.000" in lines[2] and "Begrüßung" in lines[2]
        assert "00:00:02.000  00:00:05.500" in lines[3] and "[#cue-2, padded]" in lines[3]
        assert "Clip „Straße“ (ende.ranges):" in lines
        assert any("00:00:05.250  00:00:07.250" in line for line in lines)


def test_ranges_check_an_event_names_the_broken_line_and_refuses_overrides(
    tmp_path: Path, h264_source: Path
) -> None:
    folder = make_event(tmp_path, extra="#cue-9\n")
    (folder / "a.mp4").write_bytes(h264_source.read_bytes())
    one_line_error(run("ranges", "check", folder), "event.toml", "line 11", "no cue #cue-9")
    one_line_error(
        run("ranges", "check", folder, "--source", folder / "a.mp4"), "leave out --transcript"
    )


def test_publish_warns_about_a_table_of_whole_minutes(tmp_path: Path) -> None:
    """The note `ranges check` and `cut` show comes back from publish as a warning."""
    from clipper.archive.event import ClipSpec
    from clipper.media.probe import MediaInfo
    from clipper.ranges.read import read_specs
    from clipper.site.media_phase import clip_ranges

    table = tmp_path / "zeiten.csv"
    table.write_text("Start;Ende;Titel\n00:05:00;00:42:00;Begrüßung\n", "utf-8")
    clip = ClipSpec("Zusammenfassung", "zusammenfassung", read_specs(table), table)
    info = MediaInfo(tmp_path / "a.mp4", "mp4", Fraction(3600), Fraction(0), [], None, True, 1)
    warnings: list[str] = []
    assert len(clip_ranges(clip, None, info, warn=warnings.append)) == 1
    assert [w.split(": every")[0] for w in warnings] == [f"{table}, line 2"]


@pytest.mark.slow
def test_publish_warns_with_every_note_ranges_check_shows(
    tmp_path: Path, h264_source: Path
) -> None:
    """Clamped padding and an end past the recording: what `ranges check` notes for an event,
    publish reports too, naming the file (an event has many clips, a project many events)."""
    folder = make_event(tmp_path)
    (folder / "a.mp4").write_bytes(h264_source.read_bytes())
    toml = folder / "event.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("#cue-1 Begrüßung", "#cue-1 -2s/+0s Begrüßung")
        + '\n[[clips]]\ntitle = "Ende"\nranges = "ende.ranges"\n',
        encoding="utf-8",
    )
    ranges = folder / "ende.ranges"
    ranges.write_text("0:06 - 0:08,5 Schluss\n", encoding="utf-8")
    result = run("ranges", "check", folder)
    assert result.exit_code == 0, result.output
    notes = [line.removeprefix("note: ") for line in result.output.splitlines() if "note:" in line]
    assert notes == [
        "line 9: padding clamped at the recording's start",
        "line 1: end 00:00:08.500 is past the recording's end; cut to the end (00:00:08.000)",
    ]
    from clipper.site.build import publish

    warnings = publish(tmp_path).warnings
    inline = f"{toml} ([[clips]] 1)"
    assert f"{inline}, {notes[0]}" in warnings
    assert f"{ranges}, {notes[1]}" in warnings
