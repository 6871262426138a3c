"""`clipper cut --mode`: the plan shows what is copied and re-encoded, and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from media import SourceSpec
from test_cli import assert_clean_failure, leftovers, run

# h264_source (SourceSpec()) has a keyframe every 2 s: 0:01 - 0:05.5 has a head, the GOP
# 2-4 s copied, and a tail.
RANGES = "0:01 - 0:05.5 Mitte\n"


@pytest.fixture
def ranges_file(tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    path = tmp_path / "ranges.txt"
    path.write_text(RANGES, encoding="utf-8")
    return path


def test_dry_run_shows_copy_and_encode_segments(ranges_file: Path, h264_source: Path) -> None:
    out = ranges_file.parent / "out/c.mp4"
    result = run("cut", h264_source, "-r", ranges_file, "-o", out, "--dry-run", "--details")
    assert result.exit_code == 0, result.output
    assert "(1 piece, smart cut)" in result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert (
        "encode source 00:00:01.000 - 00:00:02.000 -> clip 00:00:00.000 - 00:00:01.000"
        "  (25 frames)" in lines
    )
    assert (
        "copy   source 00:00:02.000 - 00:00:05.480 -> clip 00:00:01.000 - 00:00:04.480"
        "  (87 frames)" in lines
    )  # the copy runs on into the last GOP, up to its last whole run of B-frames
    assert (
        "encode source 00:00:05.480 - 00:00:05.520 -> clip 00:00:04.480 - 00:00:04.520"
        "  (1 frames)" in lines
    )
    assert "note: auto mode: 87 frames copied, 26 re-encoded" in lines
    assert leftovers(ranges_file.parent / "out") == []


def test_accurate_mode_encodes_everything(ranges_file: Path, h264_source: Path) -> None:
    out = ranges_file.parent / "out/c.mp4"
    result = run(
        "cut",
        h264_source,
        "-r",
        ranges_file,
        "-o",
        out,
        "--dry-run",
        "--mode",
        "accurate",
        "--details",
    )
    assert result.exit_code == 0
    assert "accurate cut" in result.output and "copy " not in result.output


def test_keyframe_mode_prints_the_snapped_times(ranges_file: Path, h264_source: Path) -> None:
    out = ranges_file.parent / "out/k.mp4"
    result = run(
        "cut", h264_source, "-r", ranges_file, "-o", out, "--mode", "keyframe", "--details"
    )
    assert result.exit_code == 0, result.output
    assert (
        "snapped to keyframes: asked 00:00:01.000 - 00:00:05.500, "
        "cut 00:00:02.000 - 00:00:06.000" in result.output
    )
    assert "Wrote" in result.output and out.exists()


def test_auto_says_why_it_re_encodes_a_webm(tmp_path: Path, source_factory) -> None:
    source = source_factory(SourceSpec(video_codec="vp8", audio_codec="opus", seconds=4.0))
    (tmp_path / "r.txt").write_text("0:01 - 0:03\n")
    result = run(
        "cut", source, "-r", tmp_path / "r.txt", "-o", tmp_path / "c.mp4", "--dry-run", "--details"
    )
    assert result.exit_code == 0
    assert "auto mode: re-encoding the whole clip (accurate), because the video is vp8" in (
        result.output
    )


def test_keyframe_mode_refuses_a_webm(tmp_path: Path, source_factory) -> None:
    source = source_factory(SourceSpec(video_codec="vp8", audio_codec="opus", seconds=4.0))
    (tmp_path / "r.txt").write_text("0:01 - 0:03\n")
    result = run(
        "cut",
        source,
        "-r",
        tmp_path / "r.txt",
        "-o",
        tmp_path / "c.mp4",
        "--mode",
        "keyframe",
        "--details",
    )
    assert_clean_failure(result, "keyframe mode copies H.264", "use --mode accurate")


def test_unknown_mode_is_refused(ranges_file: Path, h264_source: Path) -> None:
    out = ranges_file.parent / "out/c.mp4"
    result = run("cut", h264_source, "-r", ranges_file, "-o", out, "--mode", "fast")
    assert result.exit_code != 0 and "Traceback" not in result.output
