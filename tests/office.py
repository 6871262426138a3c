"""Helpers for the press-office tests: a project ready to publish, and how a preflight
refusal must look (the list of what to fix, then the one `error:` line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import Result

COMPLETE_SETTINGS = """\
[site]
publisher = "Stadt Testhausen (erfunden), Pressestelle"
imprint_url = "https://example.org/testhausen/impressum"

[accessibility]
contact_email = "barrierefreiheit@example.org"
"""


def complete_settings(project: Path) -> Path:
    path = project / "clipper.toml"
    path.write_text(COMPLETE_SETTINGS, encoding="utf-8")
    return path


def refused(result: Result, *words: str) -> list[str]:
    """Refused by the preflight: exit 1, a numbered list, one `error:` line last, no
    traceback; returns the listed problems."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.output
    for word in words:
        assert word in result.output, result.output
    return [line.strip() for line in lines if line.startswith("  ") and line.strip()[0].isdigit()]


def ready_project(root: Path, source: Path, **kwargs: Any) -> Path:
    """test_publish.make_project with complete legal settings: passes the preflight."""
    from test_publish import make_project

    event = make_project(root, source, **kwargs)
    complete_settings(root)
    return event
