"""The damage check of a cut without a whole-file verdict (media/damage_spans.py), and the
verdict `clipper ingest` leaves so that neither cut nor publish decodes an original again.

The 8 s test source (25 fps) has an IDR every 2 s; the range 3.5-7.5 re-encodes 3.5-4
and the last frame, and copies 4-7.48 (two IDRs, at 4 and 6), so damage put at 4-4.5 s
lies in copied GOPs.
"""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from clirun import one_line_error, run
from media import SourceSpec
from office import complete_settings
from test_damage import _video_samples, flip_bit, zero_64k

from clipper.cutting.clip import plan_mode
from clipper.media import verdicts
from clipper.media.damage import DamageReport, scan_damage
from clipper.media.damage_spans import check_cut
from clipper.media.index_cache import IndexStore
from clipper.media.keyframes import nal_units_intact
from clipper.ranges.read import parse_ranges

RANGE = "0:03.5 - 0:07.5"
EVENT = ["--slug", "sitzung", "--date", "2026-05-17"]


@pytest.fixture
def h264(source_factory, tmp_path: Path) -> Path:
    return Path(shutil.copy(source_factory(SourceSpec(seconds=8.0)), tmp_path / "aufnahme.mp4"))


def cut_check(path: Path) -> tuple[DamageReport, list[tuple[Fraction, Fraction]]]:
    """The cut's own check of RANGE (as plan_cut runs it), and the copied spans."""
    store = IndexStore.open(path, path.parent / "index")
    plan = plan_mode(path, parse_ranges(RANGE), index=store)
    encoded = [(s.start, s.end) for s in plan.segments if s.kind == "encode"]
    copied = [(s.start, s.end) for s in plan.segments if s.kind == "copy"]
    return check_cut(path, encoded, copied, store.packets(), plan.frame_duration), copied


def nal(payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "big") + payload


def test_nal_structure_is_checked_without_decoding() -> None:
    assert nal_units_intact(nal(b"\x65\x88\x00\x00\x03\x01\x42") + nal(b"\x06\x05\x10"))
    assert not nal_units_intact(b"")
    assert not nal_units_intact(nal(b"\x65\x88\x00\x00\x00\x00\x42"))  # a zeroed run
    assert not nal_units_intact(nal(b"\x65\x88\x00\x00\x01\x42"))  # a start code inside
    assert not nal_units_intact(nal(b"\x65\x88\x42")[:-1])  # cut short
    assert not nal_units_intact(nal(b"\x65\x88\x42") + b"\x00\x00")  # trailing bytes
    assert not nal_units_intact(nal(b"\x65\x88\x42\x00"))  # no stop bit in the last byte


def test_the_cut_decodes_the_reencoded_frames_and_the_copied_idrs_only(h264: Path) -> None:
    report, copied = cut_check(h264)
    assert copied == [(Fraction(4), Fraction(187, 25))]
    assert not report.damaged
    whole_spans = scan_damage(h264, [(Fraction(7, 2), Fraction(15, 2))])
    assert whole_spans.frames >= 100  # from the IDR at 2 s to 7.5 s
    # 2-4 s (decoding starts at the IDR before 3.5 s), the two copied IDRs, the last frame
    # (from its IDR at 6 s: an encode starts there)
    assert report.frames < whole_spans.frames - 30, (report.frames, whole_spans.frames)


def test_a_zeroed_block_in_copied_gops_is_found_at_its_time(h264: Path, tmp_path: Path) -> None:
    broken = zero_64k(h264, tmp_path / "kaputt.mp4")
    report, _copied = cut_check(broken)
    assert report.damaged
    assert Fraction(4) <= report.damages[0].at < Fraction(9, 2), report.summary()
    result = run("cut", broken, "-o", tmp_path / "clip.mp4", "--range", RANGE)
    one_line_error(result, "kaputt.mp4: damaged at 0:04.", "--allow-damaged")
    assert not (tmp_path / "clip.mp4").exists()


def test_a_flipped_bit_in_a_copied_idr_is_found(h264: Path, tmp_path: Path) -> None:
    broken = flip_bit(h264, tmp_path / "kaputt.mp4", at=Fraction(4))
    report, _copied = cut_check(broken)
    assert report.damaged and report.damages[0].at == 4, report.summary()


def flip_inside(source: Path, target: Path, at: Fraction) -> Path:
    """The lowest bit flipped in the middle of the video sample shown at `at`, a place
    where the NAL structure stays intact (checked) and the decoder complains."""
    _, pos, size = next(s for s in _video_samples(source) if s[0] == at)
    data = bytearray(source.read_bytes())
    data[pos + size // 2] ^= 0x01
    assert nal_units_intact(bytes(data[pos : pos + size]))
    target.write_bytes(bytes(data))
    return target


def test_a_flipped_bit_in_a_copied_p_frame_needs_the_whole_check(
    h264: Path, tmp_path: Path
) -> None:
    """The documented limit: only decoding finds it, and the cut decodes no copied P- or
    B-frame. The whole-file check (probe, ingest, publish) does, and the cut uses it."""
    broken = flip_inside(h264, tmp_path / "kaputt.mp4", Fraction(106, 25))
    assert scan_damage(broken).damaged
    report, _copied = cut_check(broken)
    assert not report.damaged
    assert run("probe", broken, "--allow-damaged").exit_code == 0  # decodes all, remembers
    result = run("cut", broken, "-o", tmp_path / "clip.mp4", "--range", RANGE)
    one_line_error(result, "kaputt.mp4: damaged at 0:04.", "--allow-damaged")


def _ingest(source: Path, project: Path) -> Path:
    project.mkdir(parents=True, exist_ok=True)
    complete_settings(project)
    result = run("ingest", source, "--project", project, *EVENT)
    assert result.exit_code == 0, result.output
    return project / "recordings" / "sitzung" / source.name


def test_ingest_checks_the_archived_copy_once_for_cut_and_publish(
    h264: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archived = _ingest(h264, tmp_path / "projekt")
    assert verdicts.known(archived) is not None

    def refuse(*args: object, **kwargs: object) -> DamageReport:
        raise AssertionError("decoded although ingest checked the recording")

    monkeypatch.setattr(verdicts, "check_cut", refuse)
    monkeypatch.setattr("clipper.site.originals.scan_damage", refuse)
    result = run("cut", archived, "-o", tmp_path / "clip.mp4", "--range", RANGE)
    assert result.exit_code == 0, result.output
    # the cut's packet index is kept in the project's cache, beside publish's
    assert list((tmp_path / "projekt" / ".clipper-cache" / "index").glob("*.json"))
    published = run("publish", "--project", tmp_path / "projekt")
    assert published.exit_code == 0, published.output


def test_ingest_archives_a_damaged_recording_and_says_so(h264: Path, tmp_path: Path) -> None:
    broken = flip_inside(h264, tmp_path / "kaputt.mp4", Fraction(106, 25))
    project = tmp_path / "projekt"
    project.mkdir()
    complete_settings(project)
    result = run("ingest", broken, "--project", project, *EVENT)
    assert result.exit_code == 0, result.output
    assert "kaputt.mp4: damaged at 0:04." in result.stderr and "--allow-damaged" in result.stderr
    archived = project / "recordings" / "sitzung" / "kaputt.mp4"
    cut = run("cut", archived, "-o", tmp_path / "clip.mp4", "--range", RANGE)
    one_line_error(cut, "damaged at 0:04.", "--allow-damaged")
    refused = run("publish", "--project", project)
    assert refused.exit_code == 1 and "damaged at 0:04." in refused.stderr
