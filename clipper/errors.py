"""One exception tree for everything a user can get wrong.

Each error carries what a good one-line message needs: the file, the line, what is wrong
and how to fix it. The CLI prints `str(error)` and exits non-zero; it never shows a
traceback unless CLIPPER_DEBUG=1.
"""

from __future__ import annotations

from pathlib import Path


class ClipperError(Exception):
    """Base of all errors clipper reports to a user."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class RangeError(ClipperError):
    """A timestamp or a range in a ranges list is wrong."""

    def __str__(self) -> str:
        # Ranges given as options (path "--range") are counted, not lines: "--range 2: ...".
        if self.path is not None and self.line is not None and str(self.path).startswith("--"):
            text = f"{self.path} {self.line}: {self.message}"
            return text + (f" ({self.hint})" if self.hint else "")
        return super().__str__()


class SubtitleError(ClipperError):
    """A subtitle file cannot be read or is malformed."""


class MediaError(ClipperError):
    """A media file is missing, unreadable or not what it claims to be."""


class FFmpegError(ClipperError):
    """ffmpeg is missing or failed."""


class EventError(ClipperError):
    """An event folder or its event.toml is wrong."""


class ArchiveError(ClipperError):
    """Ingesting, listing or verifying the recordings archive failed."""


class LockError(ClipperError):
    """Another clipper run holds the project's lock."""


class DiskFullError(ClipperError):
    """The disk filled up while clipper was writing; nothing half-written was kept."""
