"""Writing files so that a failure never leaves a half-written one behind.

Everything clipper writes goes to a temporary name in the target's folder (so the final
rename is atomic) and is renamed into place only when complete.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from clipper.errors import ClipperError
from clipper.files.retry import replace_retrying
from clipper.i18n import _


def temp_path_for(target: Path) -> Path:
    """An unused hidden name beside `target`, keeping its suffix (ffmpeg picks formats by it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    return target.with_name(f".{target.stem}.partial-{token}{target.suffix}")


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only if the block succeeds."""
    tmp = temp_path_for(target)
    try:
        yield tmp
        replace_retrying(tmp, target)  # Windows: another program may hold `target`
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_text(target: Path, text: str) -> None:
    """UTF-8 text with LF line ends (WebVTT, TOML and ranges files are read everywhere)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


MAX_TEXT_BYTES = 50_000_000
"""Largest transcript, ranges or TOML file read: far above any real one (a day-long
transcript is a few MB), and it keeps `/dev/zero` or a wrong file from filling memory."""


def _kind(mode: int) -> str:
    """What a non-regular file is, in words a user recognises."""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def open_regular_file(path: Path, error: type[ClipperError], what: str) -> BinaryIO:
    """`path` opened for reading, if it is a regular file; else `error` saying what it is.

    Checked twice: `stat` before opening (opening a device can itself do something), and
    `fstat` on the opened descriptor, so a path swapped for a FIFO in between is still
    refused. O_NONBLOCK keeps the open itself from waiting for a FIFO's writer (POSIX; on
    Windows there are no FIFOs in the file system and devices are caught by the stat).
    """
    try:
        before = os.stat(path)
    except FileNotFoundError as exc:
        raise error(
            _("{what} not found").format(what=what), path=path, hint=_("check the path")
        ) from exc
    except OSError as exc:
        raise error(
            _("cannot read the {what}: {strerror}").format(what=what, strerror=exc.strerror),
            path=path,
        ) from exc
    if stat.S_ISDIR(before.st_mode):
        raise error(_("is a folder, not a {what}").format(what=what), path=path)
    if not stat.S_ISREG(before.st_mode):
        raise error(
            _("is {kind}, not a {what}").format(kind=_kind(before.st_mode), what=what),
            path=path,
            hint=_("give a file saved on disk"),
        )
    try:
        f = open(path, "rb", opener=_open_nonblocking)  # noqa: SIM115 - returned open
    except FileNotFoundError as exc:
        raise error(
            _("{what} not found").format(what=what), path=path, hint=_("check the path")
        ) from exc
    except IsADirectoryError as exc:
        raise error(_("is a folder, not a {what}").format(what=what), path=path) from exc
    except PermissionError as exc:
        raise error(
            _("cannot read the {what}: permission denied").format(what=what),
            path=path,
            hint=_("check its permissions, or copy it to a folder of your own"),
        ) from exc
    except OSError as exc:
        raise error(
            _("cannot read the {what}: {strerror}").format(what=what, strerror=exc.strerror),
            path=path,
        ) from exc
    try:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise error(
                _("is {kind}, not a {what}").format(kind=_kind(mode), what=what),
                path=path,
                hint=_("give a file saved on disk"),
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(f.fileno(), True)
    except BaseException:
        f.close()
        raise
    return f


def _open_nonblocking(path: str, flags: int) -> int:
    """os.open with O_NONBLOCK where it exists: opening a FIFO then returns at once."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def check_regular_file(path: Path, error: type[ClipperError], what: str) -> None:
    """Refuse a FIFO, device, socket or folder as `what` (recordings: never size-bounded)."""
    open_regular_file(path, error, what).close()


def read_user_file(
    path: Path, error: type[ClipperError], what: str, *, limit: int = MAX_TEXT_BYTES
) -> bytes:
    """The bytes of a file a user named, or `error` saying plainly why it cannot be read.

    Only regular files, and only up to `limit` bytes: never blocks on a FIFO or a device and
    never reads without end.
    """
    with open_regular_file(path, error, what) as f:
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise error(
                _("cannot read the {what}: {strerror}").format(what=what, strerror=exc.strerror),
                path=path,
            ) from exc
    if len(data) > limit:
        raise error(
            _("is larger than {value} MB, too large for a {what}").format(
                value=limit // 1_000_000, what=what
            ),
            path=path,
            hint=_("check that this is the right file"),
        )
    return data


def read_user_text(path: Path, error: type[ClipperError], what: str) -> str:
    """A UTF-8 file a user wrote (BOM allowed), read as read_user_file reads it."""
    data = read_user_file(path, error, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(_("not UTF-8 text"), path=path, hint=_("save it as UTF-8")) from exc
