"""A pause point for tests that kill a real `clipper publish` at a chosen moment.

With CLIPPER_TEST_PAUSE=<name>, the run stops at that point (writing its PID to
CLIPPER_TEST_PAUSE_FILE if set) and waits to be killed. Without it, this does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def pause_point(name: str) -> None:
    if os.environ.get("CLIPPER_TEST_PAUSE") != name:
        return
    marker = os.environ.get("CLIPPER_TEST_PAUSE_FILE")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(600)
