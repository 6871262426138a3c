"""What the subtitle readers found wrong, line by line, and what a caller does about it.

Readers never drop a cue quietly: each cue a player would skip becomes a Problem with its
line number. Strict reading (the default) refuses the file at the first one, so captions are
never published silently missing; lenient reading keeps the rest and warns once per Problem.
Notes are things read anyway that a user should know (e.g. a Teams-style time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from clipper.errors import SourceLocation, SubtitleError
from clipper.i18n import _
from clipper.subtitles.model import Track
from clipper.timecode import format_time

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong at a line: `message` says what, `hint` how to fix it."""

    line: int
    message: str
    hint: str = ""

    def where(self, path: Path | str) -> str:
        """`path:line: message (hint)`, the form editors and terminals link to."""
        text = f"{SourceLocation(path, self.line).format('editor')}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def error(self, path: Path | str | None) -> SubtitleError:
        return SubtitleError(self.message, path=path, line=self.line, hint=self.hint or None)


def out_of_order(line: int, start_ms: int, previous_start_ms: int) -> Problem:
    """The note for the first cue that starts before the cue above it: nothing is lost
    (players, and clipper's published pages, show cues in time order), but a cue pasted in
    the wrong place is worth a look."""
    return Problem(
        line,
        _(
            "this cue ({start_ms}) starts before the one above it "
            "({previous_start_ms}): the cues are not in time order; "
            "players and the published page show them sorted"
        ).format(start_ms=format_time(start_ms), previous_start_ms=format_time(previous_start_ms)),
    )


@dataclass(frozen=True)
class Parsed:
    """A reader's result: the track, the cues it had to skip (problems) and notes."""

    track: Track
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    kind: str = ""  # what was read, for people: "WebVTT, UTF-8"


def settle(parsed: Parsed, path: Path | str, *, lenient: bool, warn: Warn | None) -> Track:
    """The track, or SubtitleError for the first problem unless `lenient` (then warnings)."""
    if parsed.problems and not lenient:
        first = parsed.problems[0]
        more = len(parsed.problems) - 1
        hint = first.hint
        if more:
            hint = (hint + "; " if hint else "") + f"{more} more problem(s) after this one"
        raise Problem(first.line, first.message, hint).error(path)
    if warn is not None:
        found = sorted(parsed.problems + parsed.notes, key=lambda p: p.line)
        for problem in found:
            warn(problem.where(path))
    return parsed.track
