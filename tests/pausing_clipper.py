"""Run the real `clipper` command, but stop at one chosen moment of a publish.

    python tests/pausing_clipper.py MOMENT MARKER publish --project ...

At MOMENT the run writes its PID to the file MARKER and waits until the test kills it or
deletes that file; then it goes on. The moments are the phases of `clipper.site.build`:

- `media-done`: every event's media and page model are made, nothing is rendered yet;
- `rendered`: the new site is complete in its staging folder, not yet swapped in;
- `swap`: the staging folder and the site were just exchanged; the old site is not removed.

The package knows nothing of this: the runner wraps the package's own functions at those
moments and then starts `clipper.cli.main()` in this process, so the PID is clipper's.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's clipper

import clipper.site.build as build
import clipper.site.swap as swap
from clipper.cli import main


def pause(marker: Path) -> None:
    """Tell the test where we are, then wait (long: a loaded machine is slow to kill us)."""
    marker.write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 600
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def before(module: Any, name: str, marker: Path) -> None:
    """Pause just before `module.name` runs."""
    original: Callable[..., Any] = getattr(module, name)

    def paused(*args: Any, **kwargs: Any) -> Any:
        pause(marker)
        return original(*args, **kwargs)

    setattr(module, name, paused)


def after_exchange(marker: Path) -> None:
    """Pause right after the atomic exchange of staging folder and site succeeded."""
    original = swap.exchange

    def paused(a: Path, b: Path) -> bool:
        done = original(a, b)
        if done:
            pause(marker)
        return done

    swap.exchange = paused


def install(moment: str, marker: Path) -> None:
    if moment == "media-done":
        before(build, "render_site", marker)
    elif moment == "rendered":
        before(build, "swap_in", marker)
    elif moment == "swap":
        after_exchange(marker)
    else:
        raise SystemExit(f"pausing_clipper: unknown moment {moment!r}")


if __name__ == "__main__":
    moment, marker, *arguments = sys.argv[1:]
    install(moment, Path(marker))
    sys.argv = ["clipper", *arguments]
    main()
