"""Stopping a real `clipper publish` mid-encode: no ffmpeg survives it, nothing changes.

The publish runs as `python -m clipper` in a session of its own (as a terminal's foreground
group). Its clip cut goes through a wrapper that tells the test it started and then becomes
an ffmpeg encoding without end into clipper's temp file, so the kill always finds ffmpeg at
work. Every process the run starts carries a marker in its environment; the test finds any
survivor by scanning /proc.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from office import ready_project as make_project
from test_publish_safety import NEW_RANGES, assert_complete_site, edit
from tree import leftovers, tree_hashes

from clipper.i18n import _
from clipper.media import children
from clipper.media.ffmpeg import ffmpeg_exe
from clipper.site.build import publish

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

MARK = "CLIPPER_TEST_RUN_MARK"


def marked(token: str) -> list[int]:
    """Live (not zombie) processes whose environment holds this run's marker."""
    needle = f"{MARK}={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
            if state != "Z" and needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to read
    return found


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.fixture
def held_publish(tmp_path: Path, h264_source: Path):
    """A project published once, then changed so the clip must be cut again; returns a
    function that starts `clipper publish` and waits until its ffmpeg encodes the clip."""
    event = make_project(tmp_path, h264_source)
    publish(tmp_path)
    edit(event, "Förderbescheid für das Labor", "Neuer Titel")
    edit(event, *NEW_RANGES)
    started = tmp_path.parent / f"{tmp_path.name}-ffmpeg-started"
    wrapper = tmp_path.parent / f"{tmp_path.name}-ffmpeg"
    wrapper.write_text(
        "#!/bin/sh\n"
        'case "$*" in *.clip.partial-*)\n'
        '  for arg; do case "$arg" in *.partial-*) out="$arg" ;; esac; done\n'
        '  touch "$FFMPEG_STARTED"\n'
        f'  exec "{ffmpeg_exe()}" -nostdin -loglevel error -re -f lavfi -i testsrc=rate=5 \\\n'
        '    -c:v mpeg4 -f mp4 -y "$out" ;;\n'
        "esac\n"
        f'exec "{ffmpeg_exe()}" "$@"\n'
    )
    wrapper.chmod(0o755)
    token = secrets.token_hex(8)
    procs: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        env = {k: v for k, v in os.environ.items() if k != "CLIPPER_DEBUG"}
        env.update(CLIPPER_FFMPEG=str(wrapper), FFMPEG_STARTED=str(started), **{MARK: token})
        proc = subprocess.Popen(
            [sys.executable, "-m", "clipper", "publish", "--project", str(tmp_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a group of its own, like a terminal's foreground job
        )
        procs.append(proc)
        deadline = time.monotonic() + 300
        while not started.exists():
            if proc.poll() is not None:
                pytest.fail(f"publish ended before its ffmpeg started: {proc.communicate()}")
            assert time.monotonic() < deadline, "publish never started its ffmpeg"
            time.sleep(0.05)
        return proc

    start.token = token  # type: ignore[attr-defined]
    yield start
    for proc in procs:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for pid in marked(token):  # never leave a survivor on the machine, even on failure
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "to_group", "code"),
    [(signal.SIGTERM, False, 143), (signal.SIGINT, True, 130)],
    ids=["sigterm", "ctrl-c-to-the-group"],
)
def test_cancelled_publish_stops_ffmpeg_and_changes_nothing(
    tmp_path: Path, held_publish, signum: int, to_group: bool, code: int
) -> None:
    before = tree_hashes(tmp_path)
    proc = held_publish()
    assert marked(held_publish.token)  # ffmpeg is at work
    (os.killpg if to_group else os.kill)(proc.pid, signum)
    out, errors = proc.communicate(timeout=300)

    assert proc.returncode == code, errors
    assert errors.splitlines() == [_(children.CANCELLED_MESSAGE)]
    assert "Traceback" not in out + errors
    assert marked(held_publish.token) == []  # clipper waited for its killed ffmpeg
    assert tree_hashes(tmp_path) == before  # the site, recordings/, the cache: all as before
    assert leftovers(tmp_path) == [] and not (tmp_path / ".clipper.files.lock").exists()


@pytest.mark.slow
def test_sigkilled_publish_takes_its_ffmpeg_along(tmp_path: Path, held_publish) -> None:
    site, recordings = tree_hashes(tmp_path / "site"), tree_hashes(tmp_path / "recordings")
    proc = held_publish()
    proc.kill()  # only clipper: no cleanup of its own can run
    proc.communicate(timeout=300)
    assert proc.returncode == -signal.SIGKILL
    # the kernel kills the child when clipper dies (PR_SET_PDEATHSIG)
    wait_until(lambda: not marked(held_publish.token), 2, "ffmpeg outlived a killed clipper")
    assert tree_hashes(tmp_path / "site") == site
    assert tree_hashes(tmp_path / "recordings") == recordings
    assert leftovers(tmp_path)  # the killed run's temp files: the next run removes them

    rerun = subprocess.run(
        [sys.executable, "-m", "clipper", "publish", "--project", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "an earlier run was interrupted" in rerun.stdout
    assert_complete_site(tmp_path / "site")
    assert leftovers(tmp_path) == [] and not (tmp_path / ".clipper.files.lock").exists()
    assert tree_hashes(tmp_path / "recordings") == recordings


def test_a_child_has_its_own_group_and_dies_with_clipper() -> None:
    probe = (
        "import ctypes, os\n"
        "sig = ctypes.c_int()\n"
        "ctypes.CDLL(None).prctl(2, ctypes.byref(sig))  # PR_GET_PDEATHSIG\n"
        "print(os.getpgid(0) == os.getpid(), sig.value)\n"
    )
    done = children.run([sys.executable, "-c", probe])
    assert (done.returncode, done.stdout.split()) == (0, ["True", str(int(signal.SIGKILL))])
    assert not children._live  # waited for and forgotten
