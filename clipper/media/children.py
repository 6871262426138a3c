"""Child processes that never outlive clipper, and cancelling a run cleanly.

Every program clipper runs (ffmpeg) is started here, so that all of them die with it,
however clipper ends:

- Each child gets its own process group. A Ctrl+C at a terminal sends SIGINT to the whole
  foreground group; ffmpeg would answer it by finishing its file, racing clipper's cleanup.
  In its own group only clipper gets the signal and stops the child itself, and killing
  the group also takes the child's own children (a wrapper script's programs).
- On Linux the child asks the kernel to SIGKILL it when clipper dies (PR_SET_PDEATHSIG),
  which covers clipper being killed with SIGKILL, where no cleanup of ours can run.
- On Windows every child joins a job object that kills its processes when the last handle
  to the job closes, which the system does when clipper ends in any way.
- Live children are kept in a registry; `stop_all` kills them when a run is cancelled.

`cancel_on_signals` turns SIGTERM, SIGHUP and SIGINT into `Cancelled` in the main thread,
so the normal unwinding (temp files removed, the project lock released) runs; the CLI
then prints one line and exits with 128 + the signal's number (130 for Ctrl+C).
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

from clipper.i18n import N_

CANCELLED_MESSAGE = N_("cancelled: nothing half-written was left behind")
"""The one line a cancelled run prints (translated when printed)."""

PR_SET_PDEATHSIG = 1


class Cancelled(KeyboardInterrupt):
    """The run was stopped by a signal; a KeyboardInterrupt, so it unwinds like Ctrl+C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports it: 130 (SIGINT), 143 (SIGTERM)."""
        return 128 + self.signum


_live: set[subprocess.Popen[Any]] = set()
_live_lock = threading.Lock()
_cancelled: int | None = None


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _cancelled
    if _cancelled is not None:
        return  # already stopping: a second Ctrl+C must not cut the cleanup short
    _cancelled = signum
    stop_all()
    raise Cancelled(signum)


def cancel_on_signals() -> None:
    """Raise `Cancelled` in the main thread on SIGINT, SIGTERM and (POSIX) SIGHUP."""
    signals = [signal.SIGINT, signal.SIGTERM]
    if sys.platform != "win32":
        signals.append(signal.SIGHUP)
    for signum in signals:
        signal.signal(signum, _on_signal)


def stop(proc: subprocess.Popen[Any]) -> None:
    """Kill a child and everything in its process group (Windows: the child)."""
    if proc.returncode is not None:
        return  # reaped already: its PID (and group ID) may belong to someone else now
    if sys.platform == "win32":
        with suppress(OSError):
            proc.kill()
        return
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def stop_all() -> None:
    """Kill every live child (safe from a signal handler: no waiting, no lock taken)."""
    for proc in list(_live):
        stop(proc)


@contextmanager
def child(cmd: Sequence[str], **popen_args: Any) -> Iterator[subprocess.Popen[Any]]:
    """Run `cmd` for the block; it is killed if the block fails, and waited for at its end.

    `popen_args` go to subprocess.Popen (pipes, text mode); the child's pipes are closed
    when the block ends, so read them (or join the threads that do) inside it.
    """
    proc = _start(list(cmd), popen_args)
    try:
        yield proc
    except BaseException:
        stop(proc)
        raise
    finally:
        try:
            proc.wait()
        finally:
            with _live_lock:
                _live.discard(proc)
            for pipe in (proc.stdin, proc.stdout, proc.stderr):
                if pipe is not None:
                    with suppress(OSError, ValueError):
                        pipe.close()


def run(cmd: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run `cmd` to its end, capturing its output as text (like subprocess.run)."""
    with child(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        out, errors = proc.communicate()
    return subprocess.CompletedProcess(list(cmd), proc.returncode, out, errors)


def _start(cmd: list[str], popen_args: dict[str, Any]) -> subprocess.Popen[Any]:
    """Start the child on the main thread or on one thread that lives as long as clipper.

    Linux sends the parent-death signal when the *thread* that forked the child ends, so a
    child started from a short-lived worker thread would be killed when that thread ends.
    """
    if threading.current_thread() is threading.main_thread():
        return _spawn(cmd, popen_args)
    done: Future[subprocess.Popen[Any]] = Future()
    _spawner().put((cmd, popen_args, done))
    return done.result()


_requests: queue.SimpleQueue[tuple[list[str], dict[str, Any], Future[subprocess.Popen[Any]]]]
_requests = queue.SimpleQueue()
_spawner_thread: threading.Thread | None = None
_spawner_lock = threading.Lock()


def _spawner() -> queue.SimpleQueue[
    tuple[list[str], dict[str, Any], Future[subprocess.Popen[Any]]]
]:
    global _spawner_thread
    with _spawner_lock:
        if _spawner_thread is None:
            _spawner_thread = threading.Thread(
                target=_serve_spawns, name="clipper-spawner", daemon=True
            )
            _spawner_thread.start()
    return _requests


def _serve_spawns() -> None:
    while True:
        cmd, popen_args, done = _requests.get()
        try:
            done.set_result(_spawn(cmd, popen_args))
        except BaseException as exc:  # handed to the waiting thread, which raises it
            done.set_exception(exc)


def _spawn(cmd: list[str], popen_args: dict[str, Any]) -> subprocess.Popen[Any]:
    """Popen with the platform's ways of tying the child's life to clipper's."""
    if sys.platform == "win32":
        flags = popen_args.pop("creationflags", 0) | subprocess.CREATE_NEW_PROCESS_GROUP
        with _live_lock:
            proc: subprocess.Popen[Any] = subprocess.Popen(cmd, creationflags=flags, **popen_args)
            _live.add(proc)
        _windows_job().assign(proc)
        return proc
    preexec = _die_with_parent(os.getpid()) if sys.platform.startswith("linux") else None
    with _live_lock:  # registered before a signal handler can look for it
        proc = subprocess.Popen(cmd, process_group=0, preexec_fn=preexec, **popen_args)
        _live.add(proc)
    return proc


def _die_with_parent(parent: int) -> Callable[[], None]:
    """What the forked child runs before exec: ask for SIGKILL when clipper dies.

    libc is loaded here, in the parent; the child only makes two system calls.
    """
    if sys.platform == "win32":
        raise NotImplementedError("a Linux system call")
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    deathsig = int(signal.SIGKILL)

    def setup() -> None:
        prctl(PR_SET_PDEATHSIG, deathsig, 0, 0, 0)
        if os.getppid() != parent:  # clipper died before the request took effect
            os._exit(1)

    return setup


class _WindowsJob:
    """A job object whose processes are killed when clipper's handle to it closes."""

    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000
    JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9  # JOBOBJECTINFOCLASS

    def __init__(self) -> None:
        self.handle: int | None = None
        if sys.platform != "win32":
            return
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateJobObjectW.restype = ctypes.c_void_p
        kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p]
        kernel32.SetInformationJobObject.argtypes = [
            ctypes.c_void_p,
            ctypes.c_int,
            ctypes.c_void_p,
            ctypes.c_uint32,
        ]
        kernel32.AssignProcessToJobObject.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.kernel32 = kernel32
        handle = kernel32.CreateJobObjectW(None, None)
        if not handle:
            return  # no job: the registry and Ctrl+C handling still stop the children
        info = _JobExtendedLimits()
        info.BasicLimitInformation.LimitFlags = self.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        if kernel32.SetInformationJobObject(
            handle,
            self.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION,
            ctypes.byref(info),
            ctypes.sizeof(info),
        ):
            self.handle = handle  # never closed: the system closes it when clipper ends

    def assign(self, proc: subprocess.Popen[Any]) -> None:
        """Put the child into the job (it may fail inside a job that forbids it: ignored)."""
        if self.handle is None or sys.platform != "win32":
            return
        process_handle = int(proc._handle)  # type: ignore[attr-defined,unused-ignore]
        self.kernel32.AssignProcessToJobObject(self.handle, process_handle)


class _IoCounters(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_uint64)
        for name in (
            "ReadOperationCount",
            "WriteOperationCount",
            "OtherOperationCount",
            "ReadTransferCount",
            "WriteTransferCount",
            "OtherTransferCount",
        )
    ]


class _JobBasicLimits(ctypes.Structure):
    _fields_ = [
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", ctypes.c_uint32),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", ctypes.c_uint32),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", ctypes.c_uint32),
        ("SchedulingClass", ctypes.c_uint32),
    ]


class _JobExtendedLimits(ctypes.Structure):
    _fields_ = [
        ("BasicLimitInformation", _JobBasicLimits),
        ("IoInfo", _IoCounters),
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    ]


_job: _WindowsJob | None = None


def _windows_job() -> _WindowsJob:
    global _job
    if _job is None:
        _job = _WindowsJob()
    return _job
