"""Which ffmpeg runs, and running it with progress and clean errors.

clipper uses `CLIPPER_FFMPEG` when set, else the binary bundled in the imageio-ffmpeg
wheel, so staff PCs need no system ffmpeg. Commands are argument lists, never shell strings.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from contextlib import suppress
from functools import cache
from pathlib import Path

from clipper.errors import DiskFullError, FFmpegError
from clipper.i18n import _
from clipper.media import children
from clipper.progress import ProgressCallback as ProgressCallback  # what ffmpeg runs report


@cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary to run (CLIPPER_FFMPEG, else imageio-ffmpeg's)."""
    configured = os.environ.get("CLIPPER_FFMPEG")
    if configured:
        found = shutil.which(configured) or (configured if Path(configured).is_file() else None)
        if not found:
            raise FFmpegError(
                _("CLIPPER_FFMPEG is set to {configured!r}, but no such program exists").format(
                    configured=configured
                ),
                hint=_("point it to an ffmpeg binary or unset it to use the bundled one"),
            )
        return found
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise FFmpegError(
            _("the bundled ffmpeg (imageio-ffmpeg) is not installed"),
            hint=_("reinstall clipper, or set CLIPPER_FFMPEG to an ffmpeg binary"),
        ) from exc
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        raise FFmpegError(
            _("the bundled ffmpeg cannot be found: {exc}").format(exc=exc),
            hint=_("reinstall imageio-ffmpeg, or set CLIPPER_FFMPEG to an ffmpeg binary"),
        ) from exc


def media_url(path: Path) -> str:
    """`path` as ffmpeg and PyAV must be given it: an absolute `file:` URL.

    A bare name is parsed for protocols first: `concat:a|b.mp4` would join the files a and
    b, `subfile,,start,0,end,0,,:x.mp4` would read a part, `-` is stdin. `file:` with an
    absolute path is read as exactly that file on every system (also `C:\\...`).
    """
    return "file:" + os.path.abspath(path)


def ffmpeg_version(exe: str | None = None) -> str:
    out = children.run([exe or ffmpeg_exe(), "-hide_banner", "-version"]).stdout
    first = out.splitlines()[0] if out else ""
    return first.removeprefix("ffmpeg version ").split(" Copyright")[0].strip()


def ffmpeg_has(kind: str, name: str, exe: str | None = None) -> bool:
    """Whether this ffmpeg has an encoder/filter (kind: 'encoders' or 'filters')."""
    out = children.run([exe or ffmpeg_exe(), "-hide_banner", f"-{kind}"]).stdout
    return any(line.split()[1:2] == [name] for line in out.splitlines() if line.strip())


def run_ffmpeg(
    args: Sequence[str],
    *,
    progress: ProgressCallback | None = None,
    what: str = "ffmpeg",
) -> None:
    """Run ffmpeg with `args` (everything after the binary); raise FFmpegError on failure.

    With `progress`, ffmpeg reports `out_time_us` on stdout (`-progress pipe:1`) and the
    callback gets the output time in ms as it advances. The last lines of stderr go into the
    error message, since that is where ffmpeg says what went wrong.
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error"]
    if progress is not None:
        cmd += ["-progress", "pipe:1", "-nostats"]
    cmd += list(args)
    with children.child(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        # Drain stderr on a thread: a chatty ffmpeg must not block on a full pipe.
        stderr_lines: deque[str] = deque(maxlen=20)
        drain = threading.Thread(
            target=_keep_lines, args=(proc.stderr, stderr_lines), name="ffmpeg-stderr", daemon=True
        )
        drain.start()
        try:
            for line in proc.stdout:
                key, _sep, value = line.strip().partition("=")
                if progress and key == "out_time_us" and value.lstrip("-").isdigit():
                    progress(max(int(value), 0) // 1000)
            code = proc.wait()
        except BaseException:
            children.stop(proc)  # its pipes close, so the drain thread ends
            drain.join(timeout=10)
            raise
        drain.join()
    if code != 0 and any("No space left on device" in line for line in stderr_lines):
        raise DiskFullError(
            _("the disk is full: {what} stopped").format(what=what),
            hint=_("free some space and run it again; nothing half-written was kept"),
        )
    if code != 0:
        tail = " | ".join(line.strip() for line in list(stderr_lines)[-3:] if line.strip())
        raise FFmpegError(
            _("{what} failed (ffmpeg exit code {code}): {value}").format(
                what=what, code=code, value=tail or _("no message")
            )
        )


def _keep_lines(stream: Iterable[str], lines: deque[str]) -> None:
    """Collect a pipe's lines until it ends; a pipe closed under it just ends the thread."""
    with suppress(OSError, ValueError):
        lines.extend(stream)


SCRIPT_FROM = 8_000
"""Filter graphs longer than this many characters go to ffmpeg in a file: one argument may
hold at most 128 KiB on Linux and the whole command line 32 KiB on Windows."""


def graphs_from_files(args: list[str], scratch: Path) -> list[str]:
    """`args` with each long `-filter_complex GRAPH` read by ffmpeg from a file instead."""
    out: list[str] = []
    pending = iter(args)
    for arg in pending:
        if arg == "-filter_complex":
            graph = next(pending)
            if len(graph) > SCRIPT_FROM:
                script = scratch / f"graph-{len(out)}.txt"
                script.write_text(graph, encoding="utf-8")
                out += [_script_option(ffmpeg_exe()), str(script)]
            else:
                out += [arg, graph]
        else:
            out.append(arg)
    return out


@cache
def _script_option(exe: str) -> str:
    """How this ffmpeg reads a filter graph from a file: `-/filter_complex` since 7.0
    (which deprecated `-filter_complex_script`), the old option before."""
    version = ffmpeg_version(exe)
    major = re.match(r"n?(\d+)\.", version)
    if major and int(major.group(1)) < 7:
        return "-filter_complex_script"
    return "-/filter_complex"
