"""Media that is not what it seems: every command that reads a recording says so plainly.

Each broken file (empty, cut short, text named .mp4, missing, a folder, unreadable) and
the audio-only file get one line naming the file and a fix, exit code 1 and no traceback
from probe, cut, ingest and publish, and nothing is left behind: no clip, no caption file,
no temporary file, no site, no half-made cache entry. Two unusual files are valid
recordings and must simply work: a video-only screen recording and a Teams-style MP4 with
its index (moov) at the end. An audio-only file is described by probe (exit 0) but refused
by everything that makes video from it.
"""

from __future__ import annotations

import builtins
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import av
import pytest
from media import SourceSpec, mp4_index_first
from office import complete_settings
from tree import leftovers, tree_hashes
from typer.testing import CliRunner

from clipper.cli import app
from clipper.media.ffmpeg import run_ffmpeg

runner = CliRunner()

TRANSCRIPT = "WEBVTT\n\n00:00:00.200 --> 00:00:01.800\n<v Anna>Willkommen!\n"

# case -> words the one line must hold (besides the file's name)
BROKEN = {
    "empty": ["the file is empty (0 bytes)", "copy the recording again"],
    "truncated": ["incomplete", "moov", "cut short"],
    "truncated-faststart": ["incomplete", "stops partway", "cut short"],
    "text": ["is a text file, not a recording", "Protokoll"],
    "missing": ["not found"],
    "folder": ["is a folder, not a media file"],
    "unreadable": ["permission denied", "permissions"],
}
AUDIO_ONLY = {"audio-only": ["has no video track (audio only)", "export the recording"]}
REFUSED = BROKEN | AUDIO_ONLY


@pytest.fixture(scope="session")
def sources(source_factory, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two-second recordings: the usual one (index at the end), faststart, video and audio only."""
    folder = tmp_path_factory.mktemp("bad-media-sources")
    spec = SourceSpec(seconds=2.0, gop=25)
    normal = source_factory(spec)
    faststart = folder / "faststart.mp4"
    run_ffmpeg(["-i", str(normal), "-c", "copy", "-movflags", "+faststart", "-y", str(faststart)])
    audio_only = folder / "audio-only.mp4"
    run_ffmpeg(["-i", str(normal), "-map", "0:a", "-c", "copy", "-y", str(audio_only)])
    return {
        "moov-at-end": normal,
        "faststart": faststart,
        "video-only": source_factory(SourceSpec(seconds=2.0, gop=25, audio_codec=None)),
        "audio-only": audio_only,
    }


def half(source: Path, target: Path) -> None:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])


def place(case: str, target: Path, sources: dict[str, Path]) -> None:
    """Put the file of `case` at `target` (for "missing": nothing)."""
    makers: dict[str, Callable[[], object]] = {
        "empty": lambda: target.write_bytes(b""),
        "truncated": lambda: half(sources["moov-at-end"], target),
        "truncated-faststart": lambda: half(sources["faststart"], target),
        "text": lambda: target.write_text("Protokoll der Sitzung vom 17. Mai\n", encoding="utf-8"),
        "missing": lambda: None,
        "folder": lambda: target.mkdir(),
        "unreadable": lambda: (shutil.copy(sources["moov-at-end"], target), target.chmod(0)),
        "audio-only": lambda: shutil.copy(sources["audio-only"], target),
        "video-only": lambda: shutil.copy(sources["video-only"], target),
        "moov-at-end": lambda: shutil.copy(sources["moov-at-end"], target),
    }
    makers[case]()


@pytest.fixture
def refuse_reading(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make opening one file fail as it does for a user without read permission.

    chmod 000 alone proves nothing when the tests run as root (root reads anyway), so the
    refusal the operating system would give is injected in-process, whoever runs the tests.
    """

    def refuse(path: Path) -> None:
        denied = os.path.abspath(path)
        real_open = builtins.open

        def guarded(file: object, *args: object, **kwargs: object) -> object:
            if isinstance(file, str | os.PathLike) and os.path.abspath(file) == denied:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(builtins, "open", guarded)
        monkeypatch.setattr(io, "open", guarded)

    return refuse


@pytest.fixture
def bad(
    tmp_path: Path, sources: dict[str, Path], refuse_reading: Callable[[Path], None]
) -> Callable[[str, Path], Path]:
    def make(case: str, target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        place(case, target, sources)
        if case == "unreadable":
            refuse_reading(target)
        return target

    return make


def assert_one_line_error(result, path: Path, words: list[str], *, stderr_only: bool = False):
    """Exit 1, and the error is a single line naming the file, without a traceback."""
    text = (result.stderr if stderr_only else result.output).strip()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(text.splitlines()) == 1, text
    assert text.startswith("error: "), text
    assert path.name in text, text
    for word in words:
        assert word in text, text


@pytest.mark.parametrize("case", list(BROKEN))
def test_probe_refuses_broken_media(case: str, tmp_path: Path, bad) -> None:
    source = bad(case, tmp_path / "aufzeichnung.mp4")
    result = runner.invoke(app, ["probe", str(source), "--details"])
    assert_one_line_error(result, source, BROKEN[case])
    json_result = runner.invoke(app, ["probe", str(source), "--json"])
    assert_one_line_error(json_result, source, BROKEN[case])


@pytest.mark.parametrize("case", list(REFUSED))
def test_cut_refuses_and_leaves_nothing(case: str, tmp_path: Path, bad) -> None:
    source = bad(case, tmp_path / "in" / "aufzeichnung.mp4")
    (tmp_path / "ranges.txt").write_text("0:00.5 - 0:01.5 Mitte\n", encoding="utf-8")
    (tmp_path / "t.vtt").write_text(TRANSCRIPT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(
        app,
        ["cut", str(source), "-r", str(tmp_path / "ranges.txt"), "-o", str(out / "clip.mp4")]
        + ["-s", str(tmp_path / "t.vtt")],
    )
    assert_one_line_error(result, source, REFUSED[case])
    assert sorted(out.iterdir()) == []  # no clip, no .vtt, no temporary file


@pytest.mark.parametrize("case", list(REFUSED))
def test_ranges_check_refuses_as_cut_would(case: str, tmp_path: Path, bad) -> None:
    source = bad(case, tmp_path / "in" / "aufzeichnung.mp4")
    (tmp_path / "ranges.txt").write_text("0:00.5 - 0:01.5 Mitte\n", encoding="utf-8")
    result = runner.invoke(
        app, ["ranges", "check", str(tmp_path / "ranges.txt"), "--source", str(source)]
    )
    assert_one_line_error(result, source, REFUSED[case])


@pytest.mark.parametrize("case", list(REFUSED))
def test_ingest_refuses_before_copying(case: str, tmp_path: Path, bad) -> None:
    source = bad(case, tmp_path / "downloads" / "aufzeichnung.mp4")
    project = tmp_path / "projekt"
    project.mkdir()
    result = runner.invoke(app, ["ingest", str(source), "--project", str(project)])
    assert_one_line_error(result, source, REFUSED[case])
    assert sorted(p.name for p in project.rglob("*")) == []


def event_toml(recording: str) -> str:
    return dedent(
        f"""\
        title = "Ratssitzung"
        date = 2024-05-17
        recording = "{recording}"
        transcript = "transkript.vtt"

        [[clips]]
        title = "Zusammenfassung"
        ranges = "0:00.5 - 0:01.5 Mitte"
        """
    )


def make_event(project: Path, case: str, bad) -> Path:
    """An event written by hand whose recording is the file of `case`."""
    event = project / "recordings" / "ratssitzung"
    event.mkdir(parents=True)
    complete_settings(project)  # ready to publish: only the recording is in question
    (event / "transkript.vtt").write_text(TRANSCRIPT, encoding="utf-8")
    (event / "event.toml").write_text(event_toml("aufzeichnung.mp4"), encoding="utf-8")
    return bad(case, event / "aufzeichnung.mp4")


@pytest.mark.parametrize("case", list(REFUSED))
def test_publish_refuses_and_keeps_the_site(case: str, tmp_path: Path, bad) -> None:
    project = tmp_path / "projekt"
    recording = make_event(project, case, bad)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>die bisherige Seite</p>", encoding="utf-8")
    before = tree_hashes(site)
    recordings = sorted(str(p) for p in (project / "recordings").rglob("*"))

    result = runner.invoke(app, ["publish", "--project", str(project)])
    # publish reports its steps on stdout; the error is one line on stderr
    # a missing file or a folder is found while reading event.toml, which says so
    words = {"missing": ["event.toml", "not found"], "folder": ["event.toml", "is a folder"]}.get(
        case, REFUSED[case]
    )
    assert_one_line_error(result, recording, words, stderr_only=True)
    assert tree_hashes(site) == before  # the published site is untouched
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []
    assert leftovers(project) == []  # no unfinished build, no half-made cache entry
    assert not list((project / ".clipper-cache").glob("entries/*/*"))
    assert sorted(str(p) for p in (project / "recordings").rglob("*")) == recordings


def test_publish_refuses_broken_media_without_an_earlier_site(tmp_path: Path, bad) -> None:
    project = tmp_path / "projekt"
    recording = make_event(project, "truncated-faststart", bad)
    result = runner.invoke(app, ["publish", "--project", str(project)])
    assert_one_line_error(result, recording, BROKEN["truncated-faststart"], stderr_only=True)
    assert sorted(p.name for p in project.iterdir()) == ["clipper.toml", "recordings"]


def test_binary_garbage_is_not_a_readable_media_file(tmp_path: Path) -> None:
    garbage = tmp_path / "aufzeichnung.mp4"
    garbage.write_bytes(bytes(range(256)) * 40)
    result = runner.invoke(app, ["probe", str(garbage)])
    assert_one_line_error(result, garbage, ["not a readable media file"])


def test_a_saved_web_page_is_named_as_text(tmp_path: Path) -> None:
    page = tmp_path / "GMT20240517-Zoom.mp4"
    page.write_text("<!DOCTYPE html>\n<html><title>Anmelden</title></html>\n", encoding="utf-8")
    result = runner.invoke(app, ["probe", str(page)])
    assert_one_line_error(result, page, ["is a text file", "<!DOCTYPE html>", "web page"])


def test_truncated_webm_is_refused(tmp_path: Path, source_factory) -> None:
    webm = source_factory(SourceSpec(seconds=2.0, gop=25, video_codec="vp8", audio_codec="opus"))
    broken = tmp_path / "aufzeichnung.webm"
    half(webm, broken)
    result = runner.invoke(app, ["probe", str(broken)])
    assert_one_line_error(result, broken, ["incomplete", "cut short"])


# ---- valid but unusual: these must work ---------------------------------------------------


def test_probe_describes_an_audio_only_file(tmp_path: Path, bad) -> None:
    """Probing reports facts: an audio-only file is readable, so exit 0, and it says why
    clipper cannot use it."""
    source = bad("audio-only", tmp_path / "ton.m4a")
    result = runner.invoke(app, ["probe", str(source), "--details"])
    assert result.exit_code == 0, result.output
    assert "#0 audio aac" in result.output
    assert "Web-ready:  no: audio only (no video track)" in result.output
    assert "clipper cannot cut or publish it" in result.output


@pytest.mark.parametrize("case", ["video-only", "moov-at-end"])
def test_probe_describes_valid_unusual_recordings(case: str, tmp_path: Path, bad) -> None:
    source = bad(case, tmp_path / "aufzeichnung.mp4")
    result = runner.invoke(app, ["probe", str(source), "--details"])
    assert result.exit_code == 0, result.output
    assert "Duration:   00:00:02.000" in result.output
    if case == "video-only":
        assert "no audio track (video only)" in result.output
    else:
        assert "index at the end (needs a remux, no re-encode)" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("case", ["video-only", "moov-at-end"])
def test_cut_works_on_valid_unusual_recordings(case: str, tmp_path: Path, bad) -> None:
    source = bad(case, tmp_path / "aufzeichnung.mp4")
    (tmp_path / "ranges.txt").write_text("0:00.5 - 0:01.5 Mitte\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["cut", str(source), "-r", str(tmp_path / "ranges.txt"), "-o", str(out / "c.mp4")]
        + ["--parents"],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["c.mp4"]
    with av.open(str(out / "c.mp4")) as clip:
        assert len(clip.streams.video) == 1
        assert len(clip.streams.audio) == (0 if case == "video-only" else 1)
        assert abs(clip.duration / 1_000_000 - 1.0) < 0.05
        assert sum(1 for _ in clip.decode(video=0)) == 25
    assert mp4_index_first(out / "c.mp4")
    if case == "video-only":
        assert "the source has no audio stream: the clip has no audio" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("case", ["video-only", "moov-at-end"])
def test_publish_works_on_valid_unusual_recordings(case: str, tmp_path: Path, bad) -> None:
    project = tmp_path / "projekt"
    make_event(project, case, bad)
    result = runner.invoke(app, ["publish", "--project", str(project)])
    assert result.exit_code == 0, result.output
    event = project / "site" / "events" / "ratssitzung"
    for name in ("zusammenfassung.mp4", "gesamtaufzeichnung.mp4"):
        assert mp4_index_first(event / name), name  # web-ready: the index comes first
        with av.open(str(event / name)) as video:
            assert len(video.streams.video) == 1
            assert len(video.streams.audio) == (0 if case == "video-only" else 1)
    with av.open(str(event / "gesamtaufzeichnung.mp4")) as full:
        assert abs(full.duration / 1_000_000 - 2.0) < 0.05
    assert leftovers(project) == []


@pytest.mark.slow
def test_live_written_webm_without_a_duration_is_cut(tmp_path: Path, source_factory) -> None:
    """A browser's MediaRecorder (and ffmpeg's `-live 1`) write WebM without a duration;
    clipper reads its packets to find the length instead of calling it 0 s long."""
    webm = source_factory(SourceSpec(seconds=2.0, gop=25, video_codec="vp8", audio_codec="opus"))
    live = tmp_path / "mitschnitt.webm"
    run_ffmpeg(["-i", str(webm), "-c", "copy", "-f", "webm", "-live", "1", "-y", str(live)])
    with av.open(str(live)) as container:
        assert not container.duration  # the premise: the file states no duration
    probed = runner.invoke(app, ["probe", str(live), "--details"])
    assert probed.exit_code == 0 and "Duration:   00:00:02.0" in probed.output, probed.output
    (tmp_path / "ranges.txt").write_text("0:00.5 - 0:01.5\n", encoding="utf-8")
    out = tmp_path / "c.mp4"
    result = runner.invoke(
        app, ["cut", str(live), "-r", str(tmp_path / "ranges.txt"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as clip:
        assert sum(1 for _ in clip.decode(video=0)) == 25


def test_a_real_run_on_a_cut_short_recording_prints_one_line(tmp_path: Path, bad) -> None:
    """The same through a real process: one line on stderr, exit 1, no traceback."""
    source = bad("truncated-faststart", tmp_path / "aufzeichnung.mp4")
    (tmp_path / "ranges.txt").write_text("0:00.5 - 0:01.5\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "clipper", "cut", str(source), "-r", str(tmp_path / "ranges.txt")]
        + ["-o", str(out / "c.mp4")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("error: ") and "incomplete" in done.stderr
    assert sorted(out.iterdir()) == []
