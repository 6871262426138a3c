"""Running clipper's CLI in-process, and the one check every refused input must pass."""

from __future__ import annotations

from click.testing import Result
from typer.testing import CliRunner

from clipper.cli import app

runner = CliRunner()


def run(*args: object) -> Result:
    """`clipper ARGS...` in this process (paths and numbers may be passed as they are)."""
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(result: Result, *words: str) -> None:
    """Refused the way users are promised: exit 1, one `error: ...` line, no traceback."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
