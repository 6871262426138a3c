"""The command line: every user error is one clear line, a non-zero exit, and no leftovers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import run, runner

from clipper.cli import app


def assert_clean_failure(result, *words: str) -> None:
    output = result.output.strip()
    assert result.exit_code != 0
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output
    for word in words:
        assert word in output, output


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    return tmp_path


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    ("ranges", "words"),
    [
        ("0:01 - 0:02\n0:0x - 0:03\n", ["ranges.txt, line 2", "cannot read"]),
        ("0:01 - 0:75\n", ["line 1", "seconds over 59"]),
        ("0:05 - 0:02\n", ["line 1", "before it starts"]),
        ("0:01 - 0:04\n0:03 - 0:05\n", ["line 2", "lines 1 and 2 overlap"]),
        ("\n# leer\n", ["empty"]),
        ("0:09 - 0:10\n", ["line 1", "after the recording's end"]),
        ("0:05 - 0:09.5\n", ["line 1", "more than a second after"]),
    ],
)
def test_cut_range_errors(workdir: Path, h264_source: Path, ranges: str, words: list[str]) -> None:
    (workdir / "ranges.txt").write_text(ranges, encoding="utf-8")
    result = run(
        "cut", h264_source, "--ranges", workdir / "ranges.txt", "-o", workdir / "out/c.mp4"
    )
    assert_clean_failure(result, *words)
    assert leftovers(workdir / "out") == []


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "missing.mp4", ["missing.mp4", "not found"]),
        (lambda d: d, ["is a folder"]),
        (lambda d: write(d / "empty.mp4", b""), ["empty (0 bytes)"]),
        (
            lambda d: write(d / "notes.mp4", b"Protokoll der Sitzung\n"),
            ["notes.mp4", "is a text file"],
        ),
    ],
)
def test_cut_bad_media(workdir: Path, make, words: list[str]) -> None:
    (workdir / "ranges.txt").write_text("0:01 - 0:02\n", encoding="utf-8")
    source = make(workdir)
    result = run("cut", source, "--ranges", workdir / "ranges.txt", "-o", workdir / "out/c.mp4")
    assert_clean_failure(result, *words)
    assert leftovers(workdir / "out") == []


def test_cut_truncated_mp4(workdir: Path, h264_source: Path) -> None:
    data = h264_source.read_bytes()
    broken = workdir / "halb.mp4"
    broken.write_bytes(data[: len(data) // 2])
    (workdir / "ranges.txt").write_text("0:01 - 0:02\n", encoding="utf-8")
    result = run("cut", broken, "--ranges", workdir / "ranges.txt", "-o", workdir / "out/c.mp4")
    assert_clean_failure(result, "halb.mp4")
    assert leftovers(workdir / "out") == []


def test_cut_broken_vtt_names_the_line(workdir: Path, h264_source: Path) -> None:
    (workdir / "ranges.txt").write_text("0:01 - 0:02\n", encoding="utf-8")
    vtt = workdir / "t.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n\n00:01.000 --> 00:02\nKaputt\n")
    result = run(
        "cut", h264_source, "-r", workdir / "ranges.txt", "-o", workdir / "out/c.mp4", "-s", vtt,
        "--details",
    )  # fmt: skip
    assert_clean_failure(result, "t.vtt, line 6", "malformed cue timing")
    assert leftovers(workdir / "out") == []


def test_cut_refuses_to_overwrite_the_source(workdir: Path, h264_source: Path) -> None:
    (workdir / "ranges.txt").write_text("0:01 - 0:02\n", encoding="utf-8")
    before = h264_source.read_bytes()
    result = run("cut", h264_source, "-r", workdir / "ranges.txt", "-o", h264_source)
    assert_clean_failure(result, "overwrite the recording")
    assert h264_source.read_bytes() == before


def test_cut_prints_plan_and_writes_clip_and_vtt(workdir: Path, h264_source: Path) -> None:
    (workdir / "ranges.txt").write_text("0:01 - 0:02 Anfang\n0:03,5 - 0:04 Schluss\n")
    vtt = workdir / "t.vtt"
    vtt.write_text("WEBVTT\n\n1\n00:00.500 --> 00:03.800\n<v Anna>Grüß Gott</v>\n")
    before = h264_source.read_bytes()
    result = run(
        "cut", h264_source, "-r", workdir / "ranges.txt", "-o", workdir / "out/c.mp4", "-s", vtt,
        "--details",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1. source 00:00:01.000 - 00:00:02.000 -> clip 00:00:00.000 - 00:00:01.000" in (
        result.output
    )
    assert "(25 frames" in result.output and "Schluss" in result.output
    assert leftovers(workdir / "out") == ["c.mp4", "c.vtt"]
    # 3.5 s lies between frames 3.48 and 3.52; the cut (and so the cue) starts at 3.52
    assert "1-2\n00:00:01.000 --> 00:00:01.280\n" in (workdir / "out/c.vtt").read_text()
    assert h264_source.read_bytes() == before  # the original is never modified


def test_dry_run_cuts_nothing(workdir: Path, h264_source: Path) -> None:
    (workdir / "ranges.txt").write_text("0:01 - 0:02\n")
    result = run(
        "cut", h264_source, "-r", workdir / "ranges.txt", "-o", workdir / "out/c.mp4", "--dry-run"
    )
    assert result.exit_code == 0
    assert "would be 00:00:01.000 long (25 frames)" in result.output
    assert leftovers(workdir / "out") == []


def test_probe_json(h264_source: Path) -> None:
    result = run("probe", h264_source, "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    video = next(s for s in data["streams"] if s["type"] == "video")
    assert (video["codec"], video["fps"], video["constant_frame_rate"]) == ("h264", "25/1", True)
    assert data["keyframe_interval"]["median_interval_s"] == 2.0
    assert data["duration_ms"] == 8000


def test_probe_text_for_webm(tmp_path: Path) -> None:
    from conftest import DATA

    result = run("probe", DATA / "tears-of-steel-battle-clip-medium.webm", "--details")
    assert result.exit_code == 0
    assert "vp8" in result.output and "vorbis" in result.output
    assert "Web-ready:  no" in result.output


def test_probe_errors(tmp_path: Path) -> None:
    assert_clean_failure(run("probe", tmp_path / "fehlt.mp4"), "fehlt.mp4", "not found")


def test_every_command_has_help() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help text"
        assert runner.invoke(app, [name, "--help"]).exit_code == 0


def test_python_dash_m_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clipper", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "clipper" in done.stdout


def test_real_process_error_has_no_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clipper", "probe", str(tmp_path / "x.mp4")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error: ") and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["transcript"], ["subtitles", "check"]])
def test_output_piped_into_head_stops_quietly(tmp_path: Path, command: list[str]) -> None:
    """`clipper transcript FILE | head -1`: the closed pipe is no error worth a line."""
    transcript = tmp_path / "lang.vtt"
    cues = (
        f"{n // 60:02d}:{n % 60:02d}.000 --> {n // 60:02d}:{n % 60:02d}.500\nSatz {n}, ähm.\n"
        for n in range(3000)
    )
    transcript.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")
    reader = subprocess.Popen(
        [sys.executable, "-m", "clipper", *command, str(transcript)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    first = reader.stdout.readline()
    reader.stdout.close()  # what `head -1` does after its line
    stderr = reader.stderr.read().decode()
    reader.wait(timeout=60)
    assert first.startswith(b"00:00:00.000"), first
    assert stderr == "", stderr
    assert reader.returncode != 0


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("WEBVTT\n\n00:00.000 -> 00:01.000\nHallo\n", 3, "no cue timing line"),
        ("WEBVTT\n\n1\n00:00.000 --> 00:01,000\nHallo\n", 4, "malformed cue timing"),
        ("WEBVTT\n\n00:05.000 --> 00:01.000\nHallo\n", 3, "ends"),
        ("Hallo\n", 1, "not a WebVTT file"),
    ],
)
def test_broken_vtt_lines(
    workdir: Path, h264_source: Path, content: str, line: int, words: str
) -> None:
    (workdir / "ranges.txt").write_text("0:01 - 0:02\n", encoding="utf-8")
    vtt = workdir / "u.vtt"
    vtt.write_text(content, encoding="utf-8")
    result = run(
        "cut", h264_source, "-r", workdir / "ranges.txt", "-o", workdir / "out/c.mp4", "-s", vtt,
        "--details",
    )  # fmt: skip
    assert_clean_failure(result, f"u.vtt, line {line}", words)
    assert leftovers(workdir / "out") == []


def test_doctor_reports_the_ffmpeg_in_use() -> None:
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "bundled with imageio-ffmpeg" in result.output and "libx264" in result.output


def test_doctor_and_cut_fail_clearly_with_a_wrong_ffmpeg(
    monkeypatch: pytest.MonkeyPatch, workdir: Path, h264_source: Path
) -> None:
    from clipper.media.ffmpeg import ffmpeg_exe

    monkeypatch.setenv("CLIPPER_FFMPEG", str(workdir / "no-ffmpeg"))
    ffmpeg_exe.cache_clear()
    try:
        assert_clean_failure(run("doctor"), "CLIPPER_FFMPEG")
        (workdir / "ranges.txt").write_text("0:01 - 0:02\n")
        result = run("cut", h264_source, "-r", workdir / "ranges.txt", "-o", workdir / "out/c.mp4")
        assert result.exit_code == 1 and "CLIPPER_FFMPEG" in result.output
        assert leftovers(workdir / "out") == []
    finally:
        ffmpeg_exe.cache_clear()


def test_publish_without_recordings_says_what_to_do(tmp_path: Path) -> None:
    result = run("publish", "--project", tmp_path)
    assert_clean_failure(result, "recordings", "clipper demo")
    assert not (tmp_path / "site").exists()


def test_serve_without_a_site_says_to_publish(tmp_path: Path) -> None:
    assert_clean_failure(run("serve", "--site", tmp_path / "site"), "clipper publish")


@pytest.mark.slow
def test_publish_portable_warns_about_missing_texts_but_succeeds(
    tmp_path: Path, h264_source: Path
) -> None:
    from test_publish import make_project

    make_project(tmp_path, h264_source)
    # --draft: published in spite of the missing legal settings, which are warned about
    result = run("publish", "--project", tmp_path, "--portable", "--draft")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "plain_language" in result.output
    assert "contact_email" in result.output
    html = (tmp_path / "site/events/foerderung/index.html").read_text(encoding="utf-8")
    assert 'src="data:text/vtt;charset=utf-8;base64,' in html


def test_publish_with_a_broken_settings_file_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "recordings").mkdir()
    (tmp_path / "clipper.toml").write_text('[site]\ntitel = "Archiv"\n', encoding="utf-8")
    assert_clean_failure(run("publish", "--project", tmp_path), "clipper.toml", "'title'")
