"""The archive: ingest copies and checks, list and verify report, recordings never change."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import socket
from pathlib import Path
from textwrap import dedent

import pytest
from clirun import one_line_error, run
from tree import leftovers, tree_hashes

import clipper.files.checksums
from clipper.archive.event import load_event
from clipper.errors import EventError

TRANSCRIPT = "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\n<v Anna>Willkommen in Lünen!\n"


@pytest.fixture
def recording(tmp_path: Path, h264_source: Path) -> Path:
    """A recording outside the project, as staff would bring it from a download folder."""
    outside = tmp_path / "downloads"
    outside.mkdir()
    target = outside / "GMT20240517-Zoom.mp4"
    target.write_bytes(h264_source.read_bytes())
    os.utime(target, (1_700_000_000, 1_700_000_000))
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "projekt"
    folder.mkdir()
    return folder


def ingest(project: Path, recording: Path, *args: object):
    return run("ingest", recording, "--project", project, *args)


def test_ingest_copies_verifies_and_describes(project: Path, recording: Path) -> None:
    before = (recording.read_bytes(), recording.stat().st_mtime_ns)
    result = ingest(project, recording, "--title", "Grußwort aus Lünen", "--date", "2024-05-17")
    assert result.exit_code == 0, result.output
    assert "Copied and verified" in result.output
    folder = project / "recordings" / "grusswort-aus-luenen"
    copy = folder / recording.name
    assert copy.read_bytes() == before[0]
    assert (recording.read_bytes(), recording.stat().st_mtime_ns) == before  # never modified
    assert recording.exists()  # never moved
    assert copy.stat().st_mtime_ns == before[1]  # the recording keeps its date
    event = load_event(folder, project)
    assert event.title == "Grußwort aus Lünen" and str(event.date) == "2024-05-17"
    assert event.recording == copy and event.clips == []
    original = event.original
    assert original is not None
    assert original.sha256 == hashlib.sha256(before[0]).hexdigest()
    assert original.size == len(before[0])
    assert original.duration == pytest.approx(8.0, abs=0.1)
    assert original.video == "h264 320x240 25 fps" and original.audio == "aac 48000 Hz 1 ch"
    assert original.ingested is not None and original.ingested.tzinfo is not None
    assert leftovers(project) == []


def test_reingest_is_a_noop_and_a_different_recording_is_refused(
    project: Path, recording: Path, tmp_path: Path, source_factory
) -> None:
    from media import SourceSpec

    assert ingest(project, recording, "--title", "Ratssitzung").exit_code == 0
    archive = tree_hashes(project / "recordings")
    again = ingest(project, recording, "--title", "Ratssitzung")
    assert again.exit_code == 0 and "nothing to do" in again.output
    renamed = ingest(project, recording, "--title", "Anderer Titel")  # same bytes, other title
    assert renamed.exit_code == 0 and "ratssitzung" in renamed.output
    assert "nothing to do" in renamed.output
    other = source_factory(SourceSpec(seconds=3.0))
    refused = ingest(project, other, "--title", "Ratssitzung")
    one_line_error(refused, "recordings/ratssitzung", "another recording", "--slug")
    assert tree_hashes(project / "recordings") == archive
    assert leftovers(project) == []


def test_ingest_with_link_and_transcript(project: Path, recording: Path, tmp_path: Path) -> None:
    vtt = tmp_path / "downloads" / "transkript.vtt"
    vtt.write_text(TRANSCRIPT, encoding="utf-8")
    result = ingest(project, recording, "--title", "Lünen", "--link", "--transcript", vtt)
    assert result.exit_code == 0, result.output
    assert "Linked" in result.output
    folder = project / "recordings" / "luenen"
    assert (folder / recording.name).stat().st_ino == recording.stat().st_ino
    event = load_event(folder, project)
    assert event.transcript == folder / "transkript.vtt"
    assert event.transcript.read_text(encoding="utf-8") == TRANSCRIPT
    assert "date taken from the file's modification time: 2023-11-14" in result.output


def test_the_example_clip_of_a_new_event_toml_reads_once_uncommented(
    project: Path, recording: Path, tmp_path: Path
) -> None:
    vtt = tmp_path / "transkript.vtt"
    vtt.write_text(TRANSCRIPT, encoding="utf-8")
    assert ingest(project, recording, "--title", "Lünen", "--transcript", vtt).exit_code == 0
    folder = project / "recordings" / "luenen"
    toml = folder / "event.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("# [[clips]]")
    block = text[start : text.index('# """', text.index('# ranges = """') + 1) + 5]
    assert "clipper transcript luenen" in text  # says where the cue ids come from
    toml.write_text(
        text.replace(block, "\n".join(line[2:] for line in block.splitlines())), "utf-8"
    )
    clip = load_event(folder, project).clips[0]
    assert clip.title == "Zusammenfassung"
    first = toml.read_text(encoding="utf-8").splitlines().index("0:05 - 0:42 Begrüßung") + 1
    assert (clip.specs[0].line, clip.specs[0].label) == (first, "Begrüßung")
    assert len(clip.specs) == 3 and all(s.needs_transcript for s in clip.specs[1:])


def test_link_falls_back_to_a_copy(
    project: Path, recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    result = ingest(project, recording, "--title", "Lünen", "--link")
    assert result.exit_code == 0, result.output
    assert "could not hard-link (Invalid cross-device link); copied instead" in result.output
    copy = project / "recordings" / "luenen" / recording.name
    assert copy.stat().st_ino != recording.stat().st_ino
    assert copy.read_bytes() == recording.read_bytes()


@pytest.mark.parametrize(
    ("slug", "problem"),
    [
        ("../elsewhere", "path separator"),
        ("a/b", "path separator"),
        ("a\\b", "path separator"),
        ("a..b", "'..'"),
        (".versteckt", "starts with a dot"),
        ("Groß", "lower-case letters"),
    ],
)
def test_bad_slugs_are_refused(project: Path, recording: Path, slug: str, problem: str) -> None:
    one_line_error(ingest(project, recording, "--slug", slug), problem, "e.g.")
    assert not (project / "recordings").exists() or not any((project / "recordings").iterdir())


def test_ingest_refuses_bad_inputs_before_copying(
    project: Path, recording: Path, tmp_path: Path
) -> None:
    text = tmp_path / "notiz.mp4"
    text.write_text("kein Video")
    one_line_error(ingest(project, text), "notiz.mp4", "is a text file")
    one_line_error(ingest(project, tmp_path / "fehlt.mp4"), "fehlt.mp4", "not found")
    bad_vtt = tmp_path / "kaputt.vtt"
    bad_vtt.write_text("WEBVTT\n\n00:00:01.000 --> gestern\nText\n", encoding="utf-8")
    one_line_error(ingest(project, recording, "--transcript", bad_vtt), "kaputt.vtt")
    one_line_error(ingest(project, recording, "--date", "17.05.2024"), "YYYY-MM-DD")
    assert tree_hashes(project) == {}


def test_ingest_refuses_a_title_with_control_characters(
    project: Path, recording: Path, tmp_path: Path
) -> None:
    # every command reading event.toml would refuse the title, so ingest must not store it
    (project / "clipper.toml").write_text('[site]\ntitle = "Archiv"\n', encoding="utf-8")
    before = tree_hashes(project)
    one_line_error(ingest(project, recording, "--title", "\x1b[2JRat"), "U+001B", "--title")
    named = tmp_path / "Rat\x07.mp4"  # without --title, the file's name is the title
    named.write_bytes(recording.read_bytes())
    one_line_error(ingest(project, named), "U+0007", "file name")
    assert tree_hashes(project) == before and sorted(os.listdir(project)) == ["clipper.toml"]


def test_disk_full_during_ingest_leaves_nothing(
    project: Path, recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = clipper.files.checksums.copy_hashed

    def fills_up(source: Path, target: Path, progress: object = None) -> str:
        target.write_bytes(source.read_bytes()[:1000])
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr("clipper.archive.ingest.copy_hashed", fills_up)
    one_line_error(ingest(project, recording, "--title", "Lünen"), "the disk is full")
    assert tree_hashes(project) == {} and leftovers(project) == []
    monkeypatch.setattr("clipper.archive.ingest.copy_hashed", real)
    assert ingest(project, recording, "--title", "Lünen").exit_code == 0


def test_a_killed_ingest_is_cleaned_up(project: Path, recording: Path) -> None:
    stale = project / "recordings" / ".ingest-luenen-999999999"
    stale.mkdir(parents=True)
    (stale / recording.name).write_bytes(b"half")
    owner = {"pid": 999999999, "host": socket.gethostname()}
    (project / ".clipper.files.lock").write_text(json.dumps(owner))
    result = ingest(project, recording, "--title", "Lünen")
    assert result.exit_code == 0, result.output
    assert not stale.exists() and not (project / ".clipper.files.lock").exists()


def test_list_and_verify(project: Path, recording: Path, tmp_path: Path) -> None:
    vtt = tmp_path / "t.vtt"
    vtt.write_text(TRANSCRIPT, encoding="utf-8")
    assert ingest(project, recording, "--title", "Lünen", "--date", "2024-05-17").exit_code == 0
    again = ingest(project, recording, "--slug", "anders")  # the same bytes: a no-op
    assert again.exit_code == 0 and "nothing to do" in again.output
    second = tmp_path / "zweite.mp4"
    second.write_bytes(recording.read_bytes()[:-1] + b"\0")
    ingest(project, second, "--title", "Essen", "--date", "2024-06-01", "--transcript", vtt)
    archive = tree_hashes(project / "recordings")

    listed = run("list", "--project", project)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert lines[0].split() == ["date", "duration", "clips", "subtitles", "published", "event"]
    assert lines[1].split()[:5] == ["2024-06-01", "00:08.000", "0", "yes", "no"]
    assert lines[2].split()[:5] == ["2024-05-17", "00:08.000", "0", "no", "no"]
    assert "luenen: Lünen" in lines[2]

    verified = run("verify", "--project", project)
    assert verified.exit_code == 0, verified.output
    assert (
        "ok         luenen" in verified.output
        and "All 2 recording(s) with a checksum are intact." in verified.output
    )
    assert tree_hashes(project / "recordings") == archive

    copy = project / "recordings" / "luenen" / recording.name
    data = bytearray(copy.read_bytes())
    data[5000] ^= 1  # one flipped bit
    copy.write_bytes(bytes(data))
    (project / "recordings" / "essen" / "zweite.mp4").unlink()
    broken = run("verify", "--project", project)
    assert broken.exit_code == 1
    assert "changed    luenen" in broken.output and "SHA-256 is" in broken.output
    assert "missing    essen" in broken.output
    assert "2 of 2 recording(s) changed or missing" in broken.output


def test_verify_reports_events_without_a_checksum(project: Path, recording: Path) -> None:
    folder = project / "recordings" / "handgemacht"
    folder.mkdir(parents=True)
    (folder / "a.mp4").write_bytes(recording.read_bytes())
    (folder / "event.toml").write_text(
        'title = "Hand"\ndate = 2024-01-01\nrecording = "a.mp4"\n', encoding="utf-8"
    )
    result = run("verify", "--project", project)
    assert result.exit_code == 0 and "unrecorded handgemacht" in result.output
    assert "All 0 recording(s) with a checksum are intact; 1 without" in result.output


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        (
            "[original]\nsha265 = 'x'",
            ["unknown key 'sha265' in [original]", "did you mean 'sha256'"],
        ),
        (f"[original]\nsha256 = '{'a' * 64}'\nsize = 'groß'", ["'size' in [original]", "size ="]),
        ("[original]\nsha256 = 'abc'\nsize = 1", ["64 hex digits", "clipper ingest"]),
        ("description = 5", ["'description' must be text (Markdown), not a number", "write it"]),
        ("credits = [1]", ["'credits' must be text (Markdown), not a list"]),
        ("titel = 'x'", ["unknown key 'titel'", "did you mean 'title'"]),
        ("clips = 'Zusammenfassung'", ["'clips' must be a list of [[clips]] tables, not a text"]),
        ("clips = [1]", ["[[clips]] number 1 must be a table, not a number", "[[clips]] on"]),
        ("[[clips]]\ntitle = 'Z'\nrange = 'z.ranges'", ["did you mean 'ranges'"]),
        ("language = 'Deutsch'", ["is not a language code", 'language = "de"']),
    ],
)
def test_event_settings_errors_name_file_key_and_fix(
    project: Path, recording: Path, toml: str, words: list[str]
) -> None:
    folder = project / "recordings" / "e"
    folder.mkdir(parents=True)
    (folder / "a.mp4").write_bytes(recording.read_bytes())
    head = 'title = "T"\ndate = 2024-01-01\nrecording = "a.mp4"\n'
    text = head + toml + "\n" if toml.startswith("[") else toml + "\n" + head
    if toml.startswith("titel"):
        text = text.replace('title = "T"\n', "")
    (folder / "event.toml").write_text(text, encoding="utf-8")
    with pytest.raises(EventError) as info:
        load_event(folder, project)
    message = str(info.value)
    assert "event.toml" in message
    for word in words:
        assert word in message, message


def test_recording_that_is_a_folder_is_named(project: Path) -> None:
    folder = project / "recordings" / "e"
    (folder / "video.mp4").mkdir(parents=True)
    (folder / "event.toml").write_text(
        dedent(
            """\
            title = "T"
            date = 2024-01-01
            recording = "video.mp4"
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(EventError, match="is a folder, not a file"):
        load_event(folder, project)


def _all_paths(root: Path) -> set[str]:
    """Every file and folder under `root`: a refusal must not even make an empty folder."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("ch", ["\x00", "\x07", "\x1b", "\r", "\x1f", "\x7f", "\x85", "\x9f"])
def test_a_title_with_a_control_character_is_refused(
    project: Path, recording: Path, tmp_path: Path, ch: str
) -> None:
    before, paths = tree_hashes(tmp_path), _all_paths(tmp_path)
    if ch == "\x00":  # a NUL cannot reach the program as an argument; a library caller can
        from clipper.archive.ingest import ingest as ingest_recording
        from clipper.errors import ArchiveError

        with pytest.raises(ArchiveError, match="--title contains the control character U"):
            ingest_recording(recording, project, title="Rat\x00sitzung")
    else:
        refused = ingest(project, recording, "--title", f"Rat{ch}sitzung")
        one_line_error(refused, f"--title contains the control character U+{ord(ch):04X}")
    assert tree_hashes(tmp_path) == before and _all_paths(tmp_path) == paths
    assert leftovers(tmp_path) == []


def test_a_title_taken_from_a_file_name_with_a_control_character_is_refused(
    project: Path, recording: Path, tmp_path: Path
) -> None:
    named = recording.with_name("Rat\x1b[31msitzung.mp4")
    recording.rename(named)
    before, paths = tree_hashes(tmp_path), _all_paths(tmp_path)
    refused = ingest(project, named, "--date", "2024-05-17")
    one_line_error(refused, "the file name contains the control character U+001B", "rename")
    assert "\x1b" not in refused.output  # the path is printed, but never its escape sequence
    assert tree_hashes(tmp_path) == before and _all_paths(tmp_path) == paths
    assert leftovers(tmp_path) == []
    # event.toml keeps the file's name, so --title alone is no way out: refused up front too
    titled = ingest(project, named, "--date", "2024-05-17", "--title", "Ratssitzung")
    one_line_error(titled, "the file name contains the control character U+001B")
    assert tree_hashes(tmp_path) == before and _all_paths(tmp_path) == paths


def test_a_transcript_name_with_a_control_character_is_refused_before_copying(
    project: Path, recording: Path, tmp_path: Path
) -> None:
    transcript = tmp_path / "downloads" / "Rat\x07.vtt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    before, paths = tree_hashes(tmp_path), _all_paths(tmp_path)
    refused = ingest(project, recording, "--title", "Rat", "--transcript", transcript)
    one_line_error(refused, "the file name contains the control character U+0007", "rename")
    assert tree_hashes(tmp_path) == before and _all_paths(tmp_path) == paths


def test_tabs_and_umlauts_in_a_title_are_fine(project: Path, recording: Path) -> None:
    title = "Rat\tsitzung in Lünen\n"
    result = ingest(project, recording, "--title", title, "--slug", "rat")
    assert result.exit_code == 0, result.output
    assert load_event(project / "recordings" / "rat", project).title == title


@pytest.mark.parametrize(
    ("slug", "problem"),
    [("con", "Windows keeps for a device"), ("lpt1.mp4", "device"), ("a" * 61, "longer than 60")],
)
def test_slugs_windows_or_the_site_could_not_hold_are_refused(
    project: Path, recording: Path, tmp_path: Path, slug: str, problem: str
) -> None:
    before, paths = tree_hashes(tmp_path), _all_paths(tmp_path)
    one_line_error(ingest(project, recording, "--slug", slug), problem, "e.g.")
    assert tree_hashes(tmp_path) == before and _all_paths(tmp_path) == paths


def test_a_hand_made_folder_is_held_to_the_same_slug_rule(project: Path, recording: Path) -> None:
    assert ingest(project, recording, "--title", "Rat", "--date", "2024-05-17").exit_code == 0
    (project / "recordings" / "rat").rename(project / "recordings" / "nul")
    before = tree_hashes(project)
    one_line_error(run("list", "--project", project), "'nul'", "Windows keeps for a device")
    assert tree_hashes(project) == before
