"""The project lock and the site swap, in isolation (no media)."""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

import pytest

from clipper.errors import LockError
from clipper.files.lock import LOCK_FILE, process_start, project_lock
from clipper.site import swap
from clipper.site.swap import recover, staging_for, swap_in

DEAD = 999_999_999  # above any PID the kernel hands out


def write_lock(project: Path, **owner: object) -> Path:
    path = project / LOCK_FILE
    path.write_text(json.dumps(owner), encoding="utf-8")
    return path


def test_lock_is_taken_and_released(tmp_path: Path) -> None:
    with project_lock(tmp_path, "clipper publish") as path:
        owner = json.loads(path.read_text())
        assert owner["pid"] == os.getpid() and owner["command"] == "clipper publish"
        with pytest.raises(LockError) as info, project_lock(tmp_path, "clipper ingest", wait=0.2):
            pass
        message = str(info.value)
        assert f"`clipper publish` (process {os.getpid()}" in message
        assert LOCK_FILE in message and "delete this file" in message
    assert not (tmp_path / LOCK_FILE).exists()


def test_stale_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    write_lock(tmp_path, pid=DEAD, host=socket.gethostname(), command="clipper publish")
    with project_lock(tmp_path, "clipper publish", wait=0) as path:
        assert json.loads(path.read_text())["pid"] == os.getpid()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_lock_whose_pid_was_reused_is_stale(tmp_path: Path) -> None:
    """A killed run's PID now belongs to another process (here: our parent)."""
    parent = os.getppid()
    write_lock(tmp_path, pid=parent, host=socket.gethostname(), process_start="1", command="x")
    with project_lock(tmp_path, "clipper publish", wait=0):
        pass
    write_lock(
        tmp_path,
        pid=parent,
        host=socket.gethostname(),
        process_start=process_start(parent),
        command="clipper publish",
    )
    with pytest.raises(LockError), project_lock(tmp_path, "x", wait=0):
        pass


def test_lock_of_another_machine_is_respected(tmp_path: Path) -> None:
    write_lock(tmp_path, pid=DEAD, host="rathaus-pc-7", command="clipper publish")
    with pytest.raises(LockError, match="process 999999999"), project_lock(tmp_path, "x", wait=0):
        pass


def test_unreadable_lock_is_taken_over_only_when_old(tmp_path: Path) -> None:
    path = tmp_path / LOCK_FILE
    path.write_text("{kaputt")
    with pytest.raises(LockError), project_lock(tmp_path, "x", wait=0):
        pass
    old = time.time() - 120
    os.utime(path, (old, old))
    with project_lock(tmp_path, "x", wait=0):
        pass


def site_with(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(text)
    return folder


@pytest.mark.parametrize("atomic_exchange", [True, False])
def test_swap_replaces_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic_exchange: bool
) -> None:
    if not atomic_exchange:
        monkeypatch.setattr(swap, "exchange", lambda a, b: False)
    out = site_with(tmp_path / "site", "alt")
    staging = site_with(staging_for(out), "neu")
    swap_in(staging, out)
    assert (out / "index.html").read_text() == "neu"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_swap_into_a_new_place(tmp_path: Path) -> None:
    out = tmp_path / "site"
    swap_in(site_with(staging_for(out), "neu"), out)
    assert (out / "index.html").read_text() == "neu"


def test_recover_puts_back_a_site_moved_aside_by_a_killed_run(tmp_path: Path) -> None:
    out = tmp_path / "site"
    site_with(tmp_path / f".site.old-{DEAD}", "alt")
    site_with(tmp_path / f".site.building-{DEAD}", "halb")
    alive = site_with(tmp_path / f".site.building-{os.getppid()}", "läuft noch")
    done = recover(out)
    assert (out / "index.html").read_text() == "alt"
    assert done == [
        f"restored the previous site from .site.old-{DEAD}",
        f"removed the unfinished build .site.building-{DEAD}",
    ]
    assert alive.exists()  # another live run's work is left alone


def test_recover_removes_an_old_site_when_the_new_one_is_in_place(tmp_path: Path) -> None:
    out = site_with(tmp_path / "site", "neu")
    site_with(tmp_path / f".site.old-{DEAD}", "alt")
    recover(out)
    assert (out / "index.html").read_text() == "neu"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_exchange_is_one_atomic_step_on_linux(tmp_path: Path) -> None:
    a, b = site_with(tmp_path / "a", "A"), site_with(tmp_path / "b", "B")
    assert swap.exchange(a, b)
    assert (a / "index.html").read_text() == "B" and (b / "index.html").read_text() == "A"
