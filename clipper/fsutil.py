"""Writing files so that a failure never leaves a half-written one behind.

Everything clipper writes goes to a temporary name in the target's folder (so the final
rename is atomic) and is renamed into place only when complete.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clipper.errors import ClipperError


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
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_text(target: Path, text: str) -> None:
    """UTF-8 text with LF line ends (WebVTT, TOML and ranges files are read everywhere)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def read_user_file(path: Path, error: type[ClipperError], what: str) -> bytes:
    """The bytes of a file a user named, or `error` saying plainly why it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise error(f"{what} not found", path=path, hint="check the path") from exc
    except IsADirectoryError as exc:
        raise error(f"is a folder, not a {what}", path=path) from exc
    except OSError as exc:
        raise error(f"cannot read the {what}: {exc.strerror}", path=path) from exc
