"""Untrusted inputs: FIFOs, devices, huge files, protocol-like names, many ranges, ports,
deeply nested TOML, control characters in titles and names."""

from __future__ import annotations

import os
import shutil
from fractions import Fraction
from pathlib import Path

import av
import pytest

from clipper.cutting import execute
from clipper.media import ffmpeg as ffmpeg_mod
from clipper.settings import SETTINGS_FILE, SettingsError, load_settings
from tests.clirun import one_line_error, run
from tests.media import SourceSpec, make_source
from tests.tree import leftovers, tree_hashes

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_source(tmp_path_factory.mktemp("src") / "src.mp4", SourceSpec(seconds=4))


def _frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def _refused(tmp_path: Path, *args: object, words: tuple[str, ...]) -> None:
    before = tree_hashes(tmp_path)
    one_line_error(run(*args), *words)
    assert tree_hashes(tmp_path) == before
    assert leftovers(tmp_path) == []


@needs_fifo
def test_fifo_transcript_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "t.vtt"
    os.mkfifo(fifo)
    _refused(tmp_path, "transcript", fifo, words=("t.vtt", "FIFO"))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_transcript_and_ranges_are_refused(tmp_path: Path, source: Path) -> None:
    _refused(tmp_path, "transcript", "/dev/zero", words=("/dev/zero", "device"))
    out = tmp_path / "c.mp4"
    _refused(tmp_path, "cut", source, "-o", out, "-r", "/dev/zero", words=("device",))


def test_oversized_transcript_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.vtt"
    with big.open("wb") as f:
        f.truncate(50_000_001)  # sparse: costs no disk
    _refused(tmp_path, "transcript", big, words=("big.vtt", "50 MB"))


@needs_fifo
def test_fifo_recording_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "rec.mp4"
    os.mkfifo(fifo)
    _refused(tmp_path, "probe", fifo, words=("rec.mp4", "FIFO"))
    _refused(tmp_path, "ingest", fifo, "-p", tmp_path / "proj", words=("rec.mp4", "FIFO"))


@pytest.mark.parametrize("name", ["concat:a|b.mp4", "subfile,,start,0,end,0,,:x.mp4"])
def test_protocol_like_names_are_read_as_files(
    tmp_path: Path, source: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(source, tmp_path / name)
    probed = run("probe", name)
    assert probed.exit_code == 0, probed.output
    assert "00:00:04.000" in probed.output
    for mode in ("accurate", "smart"):
        out = tmp_path / f"clip-{mode}.mp4"
        result = run("cut", name, "-o", out, "--range", "0:01-0:02", "--mode", mode)
        assert result.exit_code == 0, result.output
        assert _frames(out) == 25


@pytest.mark.parametrize("mode", ["accurate", "smart"])
def test_many_ranges_use_a_filter_script_and_few_inputs(
    tmp_path: Path, source: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """60 one-frame ranges a frame apart, with the limits lowered so the test stays quick:
    the graph goes through a file and the pieces share 4 inputs."""
    monkeypatch.setattr(execute, "MAX_INPUTS", 4)
    monkeypatch.setattr(ffmpeg_mod, "SCRIPT_FROM", 200)
    seen: list[list[str]] = []
    real = ffmpeg_mod.graphs_from_files

    def spy(args: list[str], scratch: Path) -> list[str]:
        done = real(args, scratch)
        seen.append(done)
        return done

    monkeypatch.setattr(execute, "graphs_from_files", spy)
    from clipper.cutting import smart_parts

    monkeypatch.setattr(smart_parts, "graphs_from_files", spy)

    def at(t: Fraction) -> str:
        return f"0:{float(t):06.3f}"

    lines = [f"{at(Fraction(2 * i, 25))} - {at(Fraction(2 * i + 1, 25))}" for i in range(48)]
    ranges = tmp_path / "r.txt"
    ranges.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "many.mp4"
    result = run("cut", source, "-o", out, "-r", ranges, "--mode", mode)
    assert result.exit_code == 0, result.output
    assert _frames(out) == 48
    assert seen and all("-filter_complex" not in args for args in seen)
    assert any("-/filter_complex" in args for args in seen)
    assert all(args.count("-i") <= 4 for args in seen)


def test_port_out_of_range_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    _refused(tmp_path, "serve", "--site", tmp_path / "site", "--port", 70000, words=("70000",))


def test_deeply_nested_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert SETTINGS_FILE in str(caught.value) and "TOML" in str(caught.value)


def test_control_character_in_settings_names_line_and_character(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text('[site]\ntitle = "Rat\\u0007haus"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    text = str(caught.value)
    assert "line 2" in text and "U+0007" in text and "site.title" in text


def test_escape_sequences_in_names_are_shown_not_sent(tmp_path: Path) -> None:
    name = tmp_path / "x\x1b[2J\x07.vtt"
    result = run("transcript", name)
    one_line_error(result, "\\x1b[2J\\x07")
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_line_ends_in_a_name_keep_the_error_on_one_line(tmp_path: Path) -> None:
    result = run("probe", tmp_path / "zwei\nzeilen.mp4")
    one_line_error(result, "zwei\\x0azeilen.mp4", "file not found")
