"""Windows' path limit: no file publish writes may have a path longer than MAX_PATH.

Windows (without the long-path setting, which city PCs rarely have) cannot create a file
whose full path has 260 characters or more; the copy or the publish would fail half-way
with a bare error. So the longest path a publish will write, the temporary names included,
is worked out from the events before anything is written, and refused with a message that
says what to shorten. The rule is kept everywhere, so a site built elsewhere can be copied
to a Windows share.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clipper.archive.slugs import FULL_RECORDING
from clipper.errors import ClipperError
from clipper.i18n import _

MAX_PATH = 260  # including the terminating NUL: at most 259 characters
TEMP_EXTRA = len(".partial-4194304-0123abcd")  # what files/atomic.py adds to a name
LONGEST_SUFFIX = ".kapitel.vtt"  # of .mp4, .jpg, .vtt, .kapitel.vtt


@dataclass(frozen=True)
class EventNames:
    """What publish names after an event: its folder and its clips' files."""

    slug: str
    clip_slugs: Sequence[str]


def planned_paths(site: Path, events: Iterable[EventNames]) -> list[str]:
    """The longest path of each file publish writes under `site` (absolute), temporary
    names included."""
    root = os.path.abspath(site)
    paths = []
    for event in events:
        folder = os.path.join(root, "events", event.slug)
        paths.append(os.path.join(folder, "index.html"))
        for stem in (FULL_RECORDING, *event.clip_slugs):
            paths.append(os.path.join(folder, "." + stem + "x" * TEMP_EXTRA + LONGEST_SUFFIX))
    return paths


def check_path_lengths(paths: Iterable[str], *, limit: int = MAX_PATH) -> None:
    """ClipperError naming the longest path when it reaches Windows' limit."""
    longest = max(paths, key=len, default="")
    if len(longest) < limit:
        return
    raise ClipperError(
        _(
            "a file of the site would get a path of {length} characters; Windows allows at "
            "most {limit}"
        ).format(length=len(longest), limit=limit - 1),
        path=longest,
        hint=_(
            "publish into a folder nearer the drive (e.g. --out C:\\Web\\site), or give "
            "the event or clip a shorter name"
        ),
    )
