"""A pause point for tests that kill a real `clipper publish` at a chosen moment.

With CLIPPER_TEST_PAUSE=<name>, the run stops at that point, writes its PID to the file
named by CLIPPER_TEST_PAUSE_FILE and waits until the test kills it or deletes that file.
Without it, this does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def pause_point(name: str) -> None:
    if os.environ.get("CLIPPER_TEST_PAUSE") != name:
        return
    marker = Path(os.environ.get("CLIPPER_TEST_PAUSE_FILE", ".clipper-test-pause"))
    marker.write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 600
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
