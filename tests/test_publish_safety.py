"""Publishing you can trust: incremental (cached media), atomic, locked, crash- and disk-safe.

Several tests run the real command (`python -m clipper publish`) and kill it with SIGKILL
at chosen moments; the previous site must be intact, `recordings/` unchanged, and the next
run must finish. ffmpeg is run through a wrapper that logs each run, so the tests can see
exactly how much media work a publish did.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from office import ready_project as make_project
from tree import leftovers, tree_hashes
from typer.testing import CliRunner

import clipper.site.cache
from clipper.cli import app
from clipper.errors import LockError
from clipper.media.ffmpeg import ffmpeg_exe
from clipper.site.build import publish

NEW_RANGES = ("0:00.5 - 0:02 Begrüßung\n0:03 - 0:04.5 Neue Wege", "0:01 - 0:03 Nur eins")


class Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "poster") and value:
                self.refs.append(value)


def assert_complete_site(site: Path) -> None:
    """Every page is there and every video, poster and track it names exists in full."""
    assert (site / "index.html").is_file()
    pages = sorted(site.glob("events/*/index.html"))
    assert pages
    for page in pages:
        parser = Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in parser.refs:
            if "://" not in ref and not ref.startswith("/"):
                assert (page.parent / ref.split("?")[0]).stat().st_size > 0, ref


@pytest.fixture
def ffmpeg_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Route every ffmpeg run through a wrapper that logs it (and can hold it, for kill tests)."""
    log = tmp_path / "ffmpeg.log"
    log.touch()
    wrapper = tmp_path / "ffmpeg-wrapper"
    wrapper.write_text(
        "#!/bin/sh\n"
        'case "$*" in *-version*) ;; *) echo "$*" >> "$FFMPEG_LOG" ;; esac\n'
        'if [ -n "$FFMPEG_HOLD" ]; then case "$*" in *.clip.partial-*)\n'
        f'  "{ffmpeg_exe()}" "$@"; touch "$FFMPEG_HOLD"; sleep 600; exit 1 ;; esac; fi\n'
        f'exec "{ffmpeg_exe()}" "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("CLIPPER_FFMPEG", str(wrapper))
    monkeypatch.setenv("FFMPEG_LOG", str(log))
    ffmpeg_exe.cache_clear()
    yield log
    ffmpeg_exe.cache_clear()


def runs(log: Path) -> list[str]:
    return log.read_text().splitlines()


def edit(event: Path, old: str, new: str) -> None:
    toml = event / "event.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.slow
def test_republish_with_nothing_changed_does_no_media_work(
    tmp_path: Path, h264_source: Path, ffmpeg_log: Path
) -> None:
    event = make_project(tmp_path, h264_source)
    recordings = tree_hashes(tmp_path / "recordings")
    first = publish(tmp_path)
    made = len(runs(ffmpeg_log))
    assert made >= 4  # the cut, the web copy, two posters
    # and the clip's and the recording's captions, and both videos with their captions inside
    assert (first.made, first.reused) == (8, 0)
    site = tree_hashes(tmp_path / "site")

    result = CliRunner().invoke(app, ["publish", "--project", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Nothing changed: no media work needed (8 file(s) from the cache)" in result.output
    assert "cutting the clip" not in result.output and "for the web" not in result.output
    assert "clip „Zusammenfassung“ unchanged" in result.output
    assert "whole recording unchanged" in result.output
    assert len(runs(ffmpeg_log)) == made
    assert tree_hashes(tmp_path / "site") == site

    # a corrected transcript: only the caption files are written again, and the videos'
    # caption tracks (streams copied: no cut, no encode)
    transcript = tmp_path / "transcripts" / "foerderung.de.vtt"
    transcript.write_text(transcript.read_text().replace("Wege", "Pfade"), encoding="utf-8")
    again = publish(tmp_path)
    assert (again.made, again.reused) == (4, 4)
    muxed = runs(ffmpeg_log)[made:]
    assert len(muxed) == 2 and all("mov_text" in run and "libx264" not in run for run in muxed)
    made += len(muxed)
    assert "Pfade" in (tmp_path / "site/events/foerderung/zusammenfassung.vtt").read_text()

    # other ranges: the clip and its poster are made again, the web copy is not
    assert tree_hashes(tmp_path / "recordings") == recordings
    edit(event, *NEW_RANGES)
    recordings = tree_hashes(tmp_path / "recordings")
    changed = publish(tmp_path)
    assert (changed.made, changed.reused) == (4, 4)  # and the clip's caption track
    new_runs = runs(ffmpeg_log)[made:]
    assert not any("web.mp4" in run for run in new_runs)  # no new web copy
    entries = list((tmp_path / ".clipper-cache" / "entries").glob("*/*"))
    assert len(entries) == 8  # what the old ranges made is pruned; the cache holds one site

    # a damaged cache entry is made again, not published
    web = next((tmp_path / ".clipper-cache" / "entries").glob("*/*/web.mp4"))
    web.unlink()
    web.write_bytes(b"kaputt")
    repaired = publish(tmp_path)
    assert (repaired.made, repaired.reused) == (1, 7)
    assert (tmp_path / "site/events/foerderung/gesamtaufzeichnung.mp4").stat().st_size > 10_000
    assert tree_hashes(tmp_path / "recordings") == recordings
    assert leftovers(tmp_path) == [] and not (tmp_path / ".clipper.files.lock").exists()


@pytest.mark.slow
def test_changed_code_or_source_invalidates_the_cache(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch, source_factory
) -> None:
    from media import SourceSpec

    event = make_project(tmp_path, h264_source)
    publish(tmp_path)
    monkeypatch.setattr(clipper.site.cache, "code_fingerprint", lambda: "a newer cutter")
    assert publish(tmp_path).made == 8
    other = source_factory(SourceSpec(seconds=6.0))
    (event / "aufzeichnung.mp4").write_bytes(other.read_bytes())  # a replaced recording
    # all media are made again; the captions only depend on the transcript and the frames cut
    assert publish(tmp_path).made == 6  # and the two caption tracks inside the videos


PAUSING = Path(__file__).with_name("pausing_clipper.py")


def start_publish(
    project: Path, *args: str, pause: tuple[str, Path] | None = None, **env: str
) -> subprocess.Popen[str]:
    """The real command in a process of its own; with `pause` (moment, marker) it stops at
    that moment of the publish (tests/pausing_clipper.py)."""
    command = [sys.executable, "-m", "clipper"]
    if pause is not None:
        command = [sys.executable, str(PAUSING), pause[0], str(pause[1])]
    return subprocess.Popen(
        [*command, "publish", "--project", str(project), *args],
        env={**os.environ, "CLIPPER_DEBUG": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the kill takes ffmpeg too
    )


def wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"publish ended early: {proc.stdout.read() if proc.stdout else ''}")
        assert time.monotonic() < deadline, "the publish never reached the point"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["cut", "media-done", "rendered", "swap"])
def test_sigkill_at_any_moment_keeps_the_old_site(
    tmp_path: Path, h264_source: Path, ffmpeg_log: Path, moment: str
) -> None:
    event = make_project(tmp_path, h264_source)
    publish(tmp_path)
    old_site = tree_hashes(tmp_path / "site")
    edit(event, "Förderbescheid für das Labor", "Neuer Titel")
    edit(event, *NEW_RANGES)  # so the clip must be cut again
    recordings = tree_hashes(tmp_path / "recordings")

    marker = tmp_path / "reached"
    if moment == "cut":  # ffmpeg has written the clip, not yet returned
        proc = start_publish(tmp_path, FFMPEG_HOLD=str(marker))
    else:
        proc = start_publish(tmp_path, pause=(moment, marker))
    try:
        wait_for(marker, proc)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    marker.unlink()
    assert proc.returncode == -signal.SIGKILL

    site = tmp_path / "site"
    if moment == "swap":  # the exchange is one step: the site is the old or the new one, whole
        assert tree_hashes(site) == old_site or "Neuer Titel" in (site / "index.html").read_text()
    else:
        assert tree_hashes(site) == old_site
    assert_complete_site(site)
    assert tree_hashes(tmp_path / "recordings") == recordings
    assert (tmp_path / ".clipper.files.lock").exists()  # left by the killed run
    assert leftovers(tmp_path)  # its unfinished work, which the next run cleans up

    rerun = start_publish(tmp_path)
    output, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, output
    assert "an earlier run was interrupted" in output
    assert "Neuer Titel" in (site / "index.html").read_text(encoding="utf-8")
    assert_complete_site(site)
    assert leftovers(tmp_path) == [] and not (tmp_path / ".clipper.files.lock").exists()
    assert tree_hashes(tmp_path / "recordings") == recordings


def read_line(proc: subprocess.Popen[str], timeout: float = 300) -> str:
    """The next line the process prints, or a test failure after `timeout` seconds."""
    lines: queue.SimpleQueue[str] = queue.SimpleQueue()
    assert proc.stdout is not None
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"no line from the process within {timeout} s")


@pytest.mark.slow
def test_concurrent_publishes_wait_or_refuse(
    tmp_path: Path, h264_source: Path, ffmpeg_log: Path
) -> None:
    make_project(tmp_path, h264_source)
    marker = tmp_path / "paused"
    first = start_publish(tmp_path, pause=("media-done", marker))
    procs = [first]
    try:
        wait_for(marker, first)
        made = len(runs(ffmpeg_log))
        with pytest.raises(LockError, match=f"`clipper publish` \\(process {first.pid}"):
            publish(tmp_path, lock_wait=0.3)
        refused = CliRunner().invoke(app, ["publish", "--project", str(tmp_path), "--wait", "0.3"])
        assert refused.exit_code == 1
        assert len(refused.stderr.strip().splitlines()) == 1, refused.output  # after a notice
        assert "Waiting for another run" in refused.stdout
        assert "another clipper run is working in this project" in refused.stderr
        assert not (tmp_path / "site").exists()  # the refused runs wrote nothing

        # the second waits (as long as a slow machine needs) and says so before it waits
        second = start_publish(tmp_path, "--wait", "600")
        procs.append(second)
        waiting = read_line(second)
        assert "Waiting for another run" in waiting, waiting
        assert f"(process {first.pid}," in waiting
        assert second.poll() is None
        marker.unlink()  # let the first one finish
        out_first, _ = first.communicate(timeout=600)
        out_second, _ = second.communicate(timeout=600)
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    assert first.returncode == 0, out_first
    assert second.returncode == 0, out_second
    assert "Made 8 media file(s)" in out_first
    assert "Nothing changed: no media work needed" in out_second
    assert len(runs(ffmpeg_log)) == made  # the second made nothing twice
    assert_complete_site(tmp_path / "site")
    assert leftovers(tmp_path) == []


def test_full_disk_while_publishing_leaves_nothing_half_written(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path, h264_source)
    old = tmp_path / "site"
    old.mkdir()
    (old / "index.html").write_text("alte Seite")
    recordings = tree_hashes(tmp_path / "recordings")

    def fills_up(info: object, output: Path, **_: object) -> str:
        output.write_bytes(b"\0" * 1000)  # what a writer leaves when the disk fills
        raise OSError(errno.ENOSPC, "No space left on device", str(output))

    monkeypatch.setattr("clipper.site.derived.make_web_copy", fills_up)
    result = CliRunner().invoke(app, ["publish", "--project", str(tmp_path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.strip().splitlines() if line.strip()]
    assert lines[-1].startswith("error: ") and not any("error" in line for line in lines[:-1])
    assert "the disk is full" in lines[-1] and "the published site is unchanged" in lines[-1]
    assert tree_hashes(old) == {"index.html": tree_hashes(old)["index.html"]}
    assert (old / "index.html").read_text() == "alte Seite"
    assert leftovers(tmp_path) == [] and not (tmp_path / ".clipper.files.lock").exists()
    assert tree_hashes(tmp_path / "recordings") == recordings


@pytest.fixture
def tmpfs(tmp_path: Path):
    """Mount real tmpfs folders of a given size (skips where that needs rights we lack)."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    mounted: list[Path] = []

    def mount(size_kb: int) -> Path:
        folder = tmp_path / f"small-{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
        mounted.append(folder)
        return folder

    try:
        yield mount
    finally:
        for folder in mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def small_disk(tmpfs, h264_source: Path) -> Path:
    """Room for the recording, not for what publishing makes."""
    return tmpfs(h264_source.stat().st_size // 1024 + 400)


def assert_one_disk_full_line(result: subprocess.CompletedProcess[str]) -> None:
    """Exit 1 and one line on stderr; it may name the file being written (PyAV) or not (ffmpeg)."""
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and "the disk is full" in errors[0], result.stderr
    assert errors[0].startswith("error: ")


@pytest.mark.slow
def test_real_full_disk_during_a_cut(tmpfs, h264_source: Path, tmp_path: Path) -> None:
    small = tmpfs(64)
    ranges = tmp_path / "r.ranges"
    ranges.write_text("0:00 - 0:08\n", encoding="utf-8")
    before = tree_hashes(h264_source.parent)
    result = subprocess.run(
        [sys.executable, "-m", "clipper", "cut", str(h264_source), "-r", str(ranges)]
        + ["-o", str(small / "clip.mp4")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert_one_disk_full_line(result)
    assert list(small.iterdir()) == []  # nothing half-written
    assert tree_hashes(h264_source.parent) == before


@pytest.mark.slow
def test_real_full_disk(small_disk: Path, h264_source: Path) -> None:
    make_project(small_disk, h264_source)
    old = small_disk / "site"
    old.mkdir()
    (old / "index.html").write_text("alte Seite")
    recordings = tree_hashes(small_disk / "recordings")
    result = subprocess.run(
        [sys.executable, "-m", "clipper", "publish", "--project", str(small_disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert_one_disk_full_line(result)
    assert (old / "index.html").read_text() == "alte Seite"
    assert sorted(p.name for p in old.iterdir()) == ["index.html"]
    assert leftovers(small_disk) == [] and not (small_disk / ".clipper.files.lock").exists()
    assert tree_hashes(small_disk / "recordings") == recordings


def test_probe_results_are_kept_exactly(h264_source: Path, source_factory) -> None:
    import json

    from media import SourceSpec

    from clipper.media.probe import probe
    from clipper.site.derived import _media_info, _to_json

    for source in (h264_source, source_factory(SourceSpec(fps="30000/1001", seconds=3.0))):
        info = probe(source)
        assert _media_info(json.loads(json.dumps(_to_json(info))), source) == info


@pytest.mark.slow
def test_republish_does_not_probe_unchanged_recordings(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clipper.site.derived as derived

    make_project(tmp_path, h264_source)
    calls: list[Path] = []
    real = derived.probe

    def counting(path: Path, **kwargs: bool):
        calls.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(derived, "probe", counting)
    publish(tmp_path)
    assert len(calls) == 1
    publish(tmp_path)
    assert len(calls) == 1
