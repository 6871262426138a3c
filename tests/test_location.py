"""One way to write where in a file something is: SourceLocation and its formatter."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.errors import ClipperError, Form, RangeError, SourceLocation, SubtitleError
from clipper.subtitles.problems import Problem

FILE = Path("liste.ranges")


@pytest.mark.parametrize(
    ("at", "form", "text"),
    [
        (SourceLocation(FILE, 3), "message", "liste.ranges, line 3"),
        (SourceLocation(FILE, 3), "note", "line 3"),
        (SourceLocation(FILE, 3), "editor", "liste.ranges:3"),
        (SourceLocation(FILE, 3), "within", "line 3 of liste.ranges"),
        (SourceLocation(FILE), "message", "liste.ranges"),
        (SourceLocation(FILE), "note", "liste.ranges"),
        # options are counted, not lines, in every form
        (SourceLocation("--range", 2), "message", "--range 2"),
        (SourceLocation("--range", 2), "note", "--range 2"),
    ],
)
def test_every_form_of_a_location(at: SourceLocation, form: Form, text: str) -> None:
    assert at.format(form) == text


def test_errors_write_their_location_with_the_same_formatter() -> None:
    assert str(RangeError("bad", at=SourceLocation(FILE, 3), hint="fix")) == (
        "liste.ranges, line 3: bad (fix)"
    )
    assert str(RangeError("bad", path="--range", line=2)) == "--range 2: bad"
    assert str(ClipperError("bad", path=FILE)) == "liste.ranges: bad"
    assert str(ClipperError("bad", line=4)) == "bad"  # a line without a file says nothing
    error = SubtitleError("bad", at=SourceLocation(FILE, 3))
    assert (error.path, error.line, error.location) == (FILE, 3, SourceLocation(FILE, 3))


def test_subtitle_problems_keep_the_form_editors_link_to() -> None:
    assert Problem(7, "no cue", "fix it").where(Path("t.vtt")) == "t.vtt:7: no cue (fix it)"
