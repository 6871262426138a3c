"""clipper: cut, subtitle and publish recorded video conferences.

The library in three calls (the commands `clipper cut`, `publish` and `ingest` wrap them)::

    import clipper

    clipper.ingest(Path("aufzeichnung.mp4"), Path("projekt"), title="Ratssitzung")
    clipper.cut(Path("aufzeichnung.mp4"), Path("clip.mp4"), range_texts=["0:05-0:42"])
    clipper.publish(Path("projekt"))

Errors a user can cause are `clipper.ClipperError` (with the file, line and a hint).
The names are loaded on first use, so `import clipper` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from clipper.errors import ClipperError
    from clipper.workflows import (
        ClipResult,
        CutJob,
        IngestResult,
        PublishResult,
        cut,
        ingest,
        plan_cut,
        publish,
        run_cut,
    )

__all__ = [
    "ClipResult",
    "ClipperError",
    "CutJob",
    "IngestResult",
    "PublishResult",
    "__version__",
    "cut",
    "ingest",
    "plan_cut",
    "publish",
    "run_cut",
]


def __getattr__(name: str) -> Any:
    if name == "ClipperError":
        from clipper.errors import ClipperError

        return ClipperError
    if name in __all__:
        from clipper import workflows

        return getattr(workflows, name)
    raise AttributeError(f"module 'clipper' has no attribute {name!r}")
