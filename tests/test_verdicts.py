"""Remembered damage verdicts: a recording decoded whole once (probe, publish) is not
decoded again by a cut; an edited file is; remembered damage still stops the cut."""

from __future__ import annotations

import os
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from clirun import one_line_error, run
from media import SourceSpec
from test_damage import flip_bit

from clipper.media import verdicts
from clipper.media.damage import Damage, DamageReport


@pytest.fixture
def h264(source_factory, tmp_path: Path) -> Path:
    # a copy of its own: a verdict is per file, and other tests use the shared source
    return Path(shutil.copy(source_factory(SourceSpec(seconds=8.0)), tmp_path / "aufnahme.mp4"))


def forbid_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> DamageReport:
        raise AssertionError("decoded although the verdict was known")

    monkeypatch.setattr(verdicts, "scan_damage", refuse)


def test_a_whole_scan_is_remembered_for_the_file_as_it_is(h264: Path) -> None:
    assert verdicts.known(h264) is None
    report = verdicts.scan_whole(h264)
    assert not report.damaged and report.frames == 200
    assert verdicts.known(h264) == report
    # touched (an editor saved it): the verdict no longer applies
    stat = h264.stat()
    os.utime(h264, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert verdicts.known(h264) is None


def test_a_broken_verdict_file_is_ignored(h264: Path) -> None:
    verdicts.scan_whole(h264)
    (stored,) = verdicts.cache_dir().glob(f"{verdicts._key(h264)}.json")
    stored.write_text("{not json", encoding="utf-8")
    assert verdicts.known(h264) is None
    stored.write_text('{"frames": "many"}', encoding="utf-8")
    assert verdicts.known(h264) is None


def test_only_damage_inside_the_spans_counts() -> None:
    report = DamageReport(Path("x.mp4"), [Damage(Fraction(4), "kaputt")], frames=10)
    assert verdicts.within(report, [(Fraction(1), Fraction(2))]).damages == []
    assert verdicts.within(report, [(Fraction(5), Fraction(6))]).damaged  # keyframe margin
    assert verdicts.within(report, [(Fraction(3), Fraction(5))]).damaged


def test_a_cut_of_a_probed_recording_decodes_nothing_for_the_check(
    h264: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("probe", h264).exit_code == 0
    forbid_decoding(monkeypatch)
    result = run("cut", h264, "-o", tmp_path / "clip.mp4", "--range", "1-3")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "clip.mp4").stat().st_size > 0


def test_remembered_damage_still_stops_a_cut_through_it(
    h264: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = flip_bit(h264, tmp_path / "kaputt.mp4")
    assert run("probe", broken, "--allow-damaged").exit_code == 0  # leaves its verdict
    forbid_decoding(monkeypatch)
    result = run("cut", broken, "-o", tmp_path / "clip.mp4", "--range", "3-5")
    one_line_error(result, "kaputt.mp4: damaged at 0:04.", "--allow-damaged")
    assert not (tmp_path / "clip.mp4").exists()
    fine = run("cut", broken, "-o", tmp_path / "anfang.mp4", "--range", "1-2")
    assert fine.exit_code == 0, fine.output
