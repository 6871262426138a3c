"""Renames that wait a little for other programs (Windows).

On Windows a file another program has open (a video player, the Explorer preview, a virus
scanner, a sync client) cannot be replaced or renamed: `os.replace` raises PermissionError
("Zugriff verweigert"). Such a hold is usually brief, so the rename is tried again for a few
seconds; if it still fails, the message names the file and what to close. Elsewhere a
PermissionError is a real permission problem and fails the same way after the wait.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from clipper.errors import ClipperError
from clipper.i18n import _

WAIT_SECONDS = 5.0
PAUSE_SECONDS = 0.1


class FileInUseError(ClipperError):
    """A file could not be replaced because another program holds it."""


def replace_retrying(
    source: Path | str,
    target: Path | str,
    *,
    wait: float = WAIT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """`os.replace(source, target)`, tried again for `wait` seconds on PermissionError."""
    deadline = time.monotonic() + wait
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if time.monotonic() >= deadline:
                raise FileInUseError(
                    _("cannot replace the file: another program is using it"),
                    path=target,
                    hint=_(
                        "close the programs that may have it open (video player, Explorer "
                        "preview, a browser showing the site, a sync or virus scanner), "
                        "then run the command again"
                    ),
                ) from exc
            sleep(PAUSE_SECONDS)
