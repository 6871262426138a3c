"""One exception tree for everything a user can get wrong.

Each error carries what a good one-line message needs: the file, the line, what is wrong
and how to fix it. The CLI prints `str(error)` and exits non-zero; it never shows a
traceback unless CLIPPER_DEBUG=1.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from clipper.i18n import _

# How a place is written: in a message ("file, line 3"), in a note listed under its file
# ("line 3"), for editors and terminals that link to it ("file:3"), or inside a sentence
# ("line 3 of file").
Form = Literal["message", "note", "editor", "within"]


@dataclass(frozen=True)
class SourceLocation:
    """Where something a user wrote is: a file (or an option such as `--range`, whose values
    are counted instead of lines) and the line (or which of the options) if known."""

    source: Path | str
    line: int | None = None

    @property
    def is_option(self) -> bool:
        return str(self.source).startswith("--")

    def at(self, line: int | None) -> SourceLocation:
        """The same file (or option) at another line."""
        return replace(self, line=line)

    def format(self, form: Form = "message") -> str:
        """The one place a location becomes text; without a line, just the file."""
        if self.line is None:
            return str(self.source)
        if self.is_option:  # "--range 2": the second --range option
            return f"{self.source} {self.line}"
        if form == "note":
            return _("line {line}").format(line=self.line)
        if form == "editor":
            return f"{self.source}:{self.line}"
        if form == "within":
            return _("line {line} of {source}").format(line=self.line, source=self.source)
        return _("{source}, line {line}").format(source=self.source, line=self.line)

    def __str__(self) -> str:
        return self.format()


class ClipperError(Exception):
    """Base of all errors clipper reports to a user."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        at: SourceLocation | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if at is not None:
            path, line = at.source, at.line
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    @property
    def location(self) -> SourceLocation | None:
        """Where the error is (None: not in a file the user wrote)."""
        return SourceLocation(self.path, self.line) if self.path is not None else None

    def __str__(self) -> str:
        text = self.message
        if self.location is not None:
            text = f"{self.location}: {text}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class RangeError(ClipperError):
    """A timestamp or a range in a ranges list is wrong."""


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
