"""Delivery, the pure part: which files of the built site to send, in which order, and
which files on the target to remove -- from two manifests, without touching anything.

The order keeps a served site consistent at every moment: media (and the server set-up
and static files) first, so no new page points at a missing file; then the pages; then
the index and feed, which link to the pages; stale files last, when no page delivered
so far points at them any more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

PHASES = ("media", "pages", "index")
INDEX_FILES = frozenset({"index.html", "feed.xml"})


@dataclass(frozen=True)
class FileFact:
    size: int
    sha256: str


Manifest = dict[str, FileFact]  # by path relative to the site root, with "/"


def phase_of(path: str) -> str:
    """`index` for the entry pages, `pages` for HTML and oEmbed JSON, else `media`."""
    if path in INDEX_FILES or path.startswith("pagefind/"):
        return "index"  # the search index is read from the index page
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".html" or (suffix == ".json" and "/embed/" in f"/{path}"):
        return "pages"
    return "media"


@dataclass(frozen=True)
class DeliveryPlan:
    """What one delivery does: per phase the files to send, then the files to remove."""

    send: dict[str, list[str]] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def sent_count(self) -> int:
        return sum(len(paths) for paths in self.send.values())

    @property
    def empty(self) -> bool:
        return not self.sent_count and not self.remove


def plan_delivery(
    local: Manifest, delivered: Manifest, on_target: set[str] | None = None
) -> DeliveryPlan:
    """Send what is new or changed since the last delivery (`delivered`); remove what the
    target holds (`on_target`, or what was delivered) that the built site does not."""
    send: dict[str, list[str]] = {}
    unchanged = 0
    for path in sorted(local):
        if delivered.get(path) == local[path] and (on_target is None or path in on_target):
            unchanged += 1
            continue
        send.setdefault(phase_of(path), []).append(path)
    there = set(delivered) if on_target is None else on_target
    ordered = {phase: send[phase] for phase in PHASES if phase in send}
    return DeliveryPlan(send=ordered, remove=sorted(there - set(local)), unchanged=unchanged)
