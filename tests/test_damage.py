"""Damaged recordings and changed originals: found, reported with the time, refused.

The damaged files are made from tests/media.py sources: one bit flipped in the middle of
a video sample, 64 KB zeroed in the middle of the file, all video samples zeroed. Each
refusal is one line, and the whole project tree is byte-identical afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from fractions import Fraction
from pathlib import Path

import av
import pytest
from clirun import one_line_error, run
from media import SourceSpec
from office import complete_settings
from tree import leftovers, tree_hashes

from clipper.media.damage import scan_damage
from clipper.media.ffmpeg import run_ffmpeg

DATA = Path(__file__).parent / "data"
AT = Fraction(4)  # where the damage is put (the sources are 8 s long)


def _video_samples(path: Path) -> list[tuple[Fraction, int, int]]:
    """(time, byte offset, size) of each video sample, in file order."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        return [
            (p.pts * video.time_base, p.pos, p.size)
            for p in container.demux(video)
            if p.size and p.pts is not None and p.pos is not None and p.pos >= 0
        ]


def flip_bit(source: Path, target: Path, at: Fraction = AT) -> Path:
    """One bit flipped in the middle of the first big video sample from `at` on."""
    _, pos, size = next(s for s in _video_samples(source) if s[0] >= at and s[2] > 1000)
    data = bytearray(source.read_bytes())
    data[pos + size // 2] ^= 0x10
    target.write_bytes(bytes(data))
    return target


def zero_64k(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 65536] = bytes(65536)
    target.write_bytes(bytes(data))
    return target


def zero_video(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    for _, pos, size in _video_samples(source):
        data[pos : pos + size] = bytes(size)
    target.write_bytes(bytes(data))
    return target


def _seconds(summary: str) -> float:
    match = re.search(r"damaged at (?:(\d+):)?(\d+):(\d+\.\d+)", summary)
    assert match, summary
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


@pytest.fixture(scope="session")
def h264(source_factory) -> Path:
    return source_factory(SourceSpec(seconds=8.0))


@pytest.fixture(scope="session")
def vp8(source_factory) -> Path:
    return source_factory(SourceSpec(seconds=8.0, video_codec="vp8", audio_codec="opus"))


HEALTHY = [
    SourceSpec(),
    SourceSpec(video_codec="vp8", audio_codec="opus"),
    SourceSpec(video_codec="vp8", audio_codec="vorbis"),
    SourceSpec(audio_codec=None),
    SourceSpec(drop_every=5),
    SourceSpec(open_gop=True, gop=25),
    SourceSpec(start_offset=1.5),
    SourceSpec(bframes=0, fps="30000/1001"),
]


@pytest.mark.parametrize("spec", HEALTHY, ids=str)
def test_healthy_sources_are_clean(spec: SourceSpec, source_factory) -> None:
    path = source_factory(spec)
    report = scan_damage(path)
    assert not report.damaged, report.summary()
    assert report.frames > 0
    # spans too (a seek into an open GOP must not look like damage)
    spans = [(Fraction(1), Fraction(3)), (Fraction(5, 2), Fraction(6))]
    assert not scan_damage(path, spans).damaged


@pytest.mark.parametrize("name", ["friday.mp4", "tears-of-steel-battle-clip-medium.webm"])
def test_real_samples_are_clean(name: str) -> None:
    report = scan_damage(DATA / name)
    assert not report.damaged, report.summary()


@pytest.mark.parametrize(
    ("source", "damage"), [("h264", flip_bit), ("h264", zero_64k), ("vp8", zero_64k)]
)
def test_damage_is_found_near_its_time(source: str, damage, request, tmp_path: Path) -> None:
    original = request.getfixturevalue(source)
    broken = damage(original, tmp_path / f"kaputt{original.suffix}")
    report = scan_damage(broken)
    assert report.damaged
    assert abs(_seconds(report.summary()) - 4.0) < 0.6, report.summary()
    # a cut elsewhere is not bothered; one through the damage is
    assert not scan_damage(broken, [(Fraction(1), Fraction(2))]).damaged
    assert scan_damage(broken, [(Fraction(3), Fraction(5))]).damaged


def test_probe_reports_damage_with_its_time(h264: Path, tmp_path: Path) -> None:
    broken = flip_bit(h264, tmp_path / "aufzeichnung.mp4")
    before = tree_hashes(tmp_path)
    result = run("probe", broken)
    one_line_error(result, "aufzeichnung.mp4: damaged at 0:04.", "--allow-damaged")
    assert tree_hashes(tmp_path) == before and leftovers(tmp_path) == []
    allowed = run("probe", broken, "--allow-damaged")
    assert allowed.exit_code == 0, allowed.output
    assert "warning: " in allowed.output and "damaged at 0:04." in allowed.output
    assert run("probe", h264).exit_code == 0


def test_cut_refuses_a_clip_through_the_damage(h264: Path, tmp_path: Path) -> None:
    broken = flip_bit(h264, tmp_path / "aufzeichnung.mp4")
    before = tree_hashes(tmp_path)
    result = run("cut", broken, "-o", tmp_path / "clip.mp4", "--range", "3-5")
    one_line_error(result, "aufzeichnung.mp4: damaged at 0:04.", "--allow-damaged")
    assert tree_hashes(tmp_path) == before and leftovers(tmp_path) == []
    # elsewhere in the recording the clip is fine
    fine = run("cut", broken, "-o", tmp_path / "anfang.mp4", "--range", "1-2")
    assert fine.exit_code == 0, fine.output
    assert (tmp_path / "anfang.mp4").stat().st_size > 0
    allowed = run(
        "cut", broken, "-o", tmp_path / "mit-schaden.mp4", "--range", "3-5", "--allow-damaged"
    )
    assert allowed.exit_code == 0, allowed.output
    assert "warning: " in allowed.output and (tmp_path / "mit-schaden.mp4").is_file()


@pytest.mark.parametrize("command", ["probe", "cut", "ingest"])
def test_no_decodable_frame_is_refused(command: str, h264: Path, tmp_path: Path) -> None:
    broken = zero_video(h264, tmp_path / "leer.mp4")
    project = tmp_path / "projekt"
    project.mkdir()
    before = tree_hashes(tmp_path)
    args = {
        "probe": ["probe", broken],
        "cut": ["cut", broken, "-o", tmp_path / "clip.mp4", "--range", "1-2", "--allow-damaged"],
        "ingest": ["ingest", broken, "--project", project],
    }[command]
    one_line_error(run(*args), "leer.mp4: no video frame can be decoded")
    assert tree_hashes(tmp_path) == before and leftovers(tmp_path) == []


def _ingested(source: Path, project: Path, transcript: Path | None = None) -> Path:
    args: list[object] = ["ingest", source, "--project", project, "--slug", "sitzung"]
    args += ["--date", "2026-05-17"]  # a confirmed date: the preflight passes
    project.mkdir(parents=True, exist_ok=True)
    complete_settings(project)
    if transcript is not None:
        args += ["--transcript", transcript]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return project / "recordings" / "sitzung"


def test_publish_refuses_a_damaged_recording_and_allows_it_on_request(
    h264: Path, tmp_path: Path
) -> None:
    broken = flip_bit(h264, tmp_path / "aufzeichnung.mp4")
    project = tmp_path / "projekt"
    _ingested(broken, project)
    before = tree_hashes(project)
    result = run("publish", "--project", project)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "damaged at 0:04." in lines[0] and "'sitzung'" in lines[0]
    assert "--allow-damaged" in lines[0] and "Traceback" not in result.output
    assert tree_hashes(project) == before and leftovers(project) == []

    allowed = run("publish", "--project", project, "--allow-damaged")
    assert allowed.exit_code == 0, allowed.output
    assert "damaged at 0:04." in allowed.stderr and "published anyway" in allowed.stderr
    page = (project / "site" / "events" / "sitzung" / "index.html").read_text(encoding="utf-8")
    assert "Die Aufzeichnung ist beschädigt (bei 0:04." in page
    # the verdict is cached by the recording's checksum: the next publish decodes nothing
    again = run("publish", "--project", project, "--allow-damaged")
    assert again.exit_code == 0 and "vollständig geprüft" not in again.output


def test_publish_refuses_no_decodable_frame(h264: Path, tmp_path: Path) -> None:
    project = tmp_path / "projekt"
    event = project / "recordings" / "sitzung"
    event.mkdir(parents=True)
    complete_settings(project)
    zero_video(h264, event / "leer.mp4")
    (event / "event.toml").write_text(
        'title = "Sitzung"\ndate = 2024-05-17\nrecording = "leer.mp4"\n', encoding="utf-8"
    )
    before = tree_hashes(project)
    result = run("publish", "--project", project, "--allow-damaged")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no video frame can be decoded" in lines[0], result.stderr
    assert tree_hashes(project) == before and leftovers(project) == []


def test_publish_refuses_an_original_that_changed_silently(h264: Path, tmp_path: Path) -> None:
    project = tmp_path / "projekt"
    event = _ingested(h264, project)
    first = run("publish", "--project", project)
    assert first.exit_code == 0, first.output
    recording = event / h264.name
    stat = recording.stat()
    flip_bit(recording, recording)  # same size; the old time restored, as a bit rot keeps it
    os.utime(recording, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    before = tree_hashes(project)
    result = run("publish", "--project", project)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "'sitzung'" in lines[0] and "no longer matches the checksum" in lines[0]
    assert f"clipper verify --project {project}" in lines[0]
    assert tree_hashes(project) == before and leftovers(project) == []


TRANSCRIPT = "WEBVTT\n\n00:00:00.200 --> 00:00:07.000\nWillkommen!\n"  # most of the 8 s


def test_transcript_checksum_is_recorded_and_verified(h264: Path, tmp_path: Path) -> None:
    vtt = tmp_path / "transkript.vtt"
    vtt.write_text(TRANSCRIPT, encoding="utf-8")
    project = tmp_path / "projekt"
    event = _ingested(h264, project, vtt)
    original = tomllib.loads((event / "event.toml").read_text(encoding="utf-8"))["original"]
    assert re.fullmatch(r"[0-9a-f]{64}", original["transcript_sha256"])

    result = run("verify", "--project", project)
    assert result.exit_code == 0, result.output
    assert re.search(r"^ok +sitzung: .*transkript\.vtt$", result.output, re.M), result.output

    # staff fix a typo: listed as changed, but nothing is wrong, and publish goes ahead
    (event / "transkript.vtt").write_text(TRANSCRIPT.replace("Willkommen", "Herzlich willkommen"))
    edited = run("verify", "--project", project)
    assert edited.exit_code == 0, edited.output
    assert re.search(r"^changed +sitzung: .*transkript\.vtt \(edited", edited.output, re.M)
    assert run("publish", "--project", project).exit_code == 0

    (event / "transkript.vtt").unlink()
    gone = run("verify", "--project", project)
    assert gone.exit_code == 1
    assert re.search(r"^missing +sitzung: .*transkript\.vtt", gone.output, re.M)


def test_old_event_toml_without_transcript_checksum(h264: Path, tmp_path: Path) -> None:
    vtt = tmp_path / "transkript.vtt"
    vtt.write_text(TRANSCRIPT, encoding="utf-8")
    project = tmp_path / "projekt"
    event = _ingested(h264, project, vtt)
    toml = event / "event.toml"
    toml.write_text(
        "".join(
            line
            for line in toml.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("transcript_sha256")
        ),
        encoding="utf-8",
    )
    result = run("verify", "--project", project)
    assert result.exit_code == 0, result.output
    assert re.search(r"^unrecorded +sitzung: .*transkript\.vtt", result.output, re.M)
    assert run("publish", "--project", project).exit_code == 0
    shutil.rmtree(project / "site")


def test_a_still_slide_in_a_variable_frame_rate_recording_is_not_damage(tmp_path: Path) -> None:
    """Zoom sends frames irregularly and none at all while a slide stands still: a few
    seconds without frames is normal there, unlike in a constant-frame-rate recording."""
    path = tmp_path / "bildschirm.mp4"
    keep = "lt(mod(n\\,10)\\,5)*not(between(t\\,3\\,7))"  # bursts of frames, then 4 s of none
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=10"]
        + ["-vf", f"select='{keep}'", "-fps_mode", "vfr", "-c:v", "libx264", "-y", str(path)]
    )
    report = scan_damage(path)
    assert report.frames > 0
    assert not report.damaged, report.summary()
