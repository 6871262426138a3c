"""One clipper run at a time per project: a lock file holding the owner's PID.

`publish` and `ingest` take the lock, so two runs never interleave their writes. A second
run waits a little, then refuses with a message naming the running one. A lock left behind
by a killed run (its process is gone) is noticed and taken over, so a crash never blocks
the next run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from clipper.errors import LockError
from clipper.i18n import _

LOCK_FILE = ".clipper.files.lock"


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate it on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_start(pid: int) -> str | None:
    """When a process started (Linux: clock ticks since boot), to tell a reused PID apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def _read_owner(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # being written right now, or garbage: judged by its age below
    return data if isinstance(data, dict) else {}


def _is_stale(owner: dict[str, Any], path: Path) -> bool:
    """A lock whose process is gone (same machine), or an unreadable one older than a minute."""
    pid = owner.get("pid")
    if isinstance(pid, int) and owner.get("host") == socket.gethostname():
        if not pid_alive(pid):
            return True
        started = owner.get("process_start")
        now = process_start(pid)
        return started is not None and now is not None and started != now  # PID reused
    if not owner:
        try:
            return time.time() - path.stat().st_mtime > 60
        except FileNotFoundError:
            return True
    return False  # another machine's run (a shared drive): only its owner can tell


def _describe(owner: dict[str, Any]) -> str:
    what = owner.get("command", "clipper")
    return f"`{what}` (process {owner.get('pid', '?')}, started {owner.get('started', '?')})"


@contextmanager
def project_lock(
    project_dir: Path,
    command: str,
    *,
    wait: float = 10.0,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the project's lock for the block; wait up to `wait` seconds for another run.

    `on_wait` is told once, with a description of the other run, that this one waits, so
    staff see why nothing happens yet.
    """
    path = Path(project_dir) / LOCK_FILE
    owner = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command,
        "process_start": process_start(os.getpid()),
        "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            current = _read_owner(path)
            if current is None:
                continue  # released just now
            if _is_stale(current, path):
                _take_over(path)
                continue
            if time.monotonic() >= deadline:
                raise LockError(
                    _("another clipper run is working in this project: {describe}").format(
                        describe=_describe(current)
                    ),
                    path=path,
                    hint=_(
                        "wait until it has finished; if no clipper runs any more, delete this file"
                    ),
                ) from None
            if on_wait is not None:
                on_wait(_describe(current))
                on_wait = None
            time.sleep(0.2)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(owner, f)
        break
    try:
        yield path
    finally:
        current = _read_owner(path)
        if current and current.get("pid") == os.getpid():
            path.unlink(missing_ok=True)


def _take_over(path: Path) -> None:
    """Remove a stale lock; renaming it first means only one waiting run removes it."""
    aside = path.with_name(f"{path.name}.stale-{os.getpid()}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return
    owner = _read_owner(aside)
    if owner and not _is_stale(owner, aside):  # a live run's fresh lock: put it back
        with suppress(OSError):
            os.link(aside, path)
    aside.unlink(missing_ok=True)
