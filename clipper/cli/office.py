"""Commands that take staff from an empty folder to a page safe to publish: `init`, `check`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.common import ProjectOption, _warn_line, err, out, reports_errors
from clipper.i18n import N_, _


@reports_errors
def init(
    folder: Annotated[
        Path,
        typer.Argument(help=N_("The new project's folder (default: the current folder).")),
    ] = Path("."),
) -> None:
    """Start a project: clipper.toml to fill in, and recordings/, transcripts/, site/."""
    from clipper.archive.project import init_project

    result = init_project(folder)
    for path in result.created:
        out.print(_("created {path}").format(path=path), markup=False)
    settings = result.folder / "clipper.toml"
    out.print(
        _(
            "Next: fill in the values marked BITTE AUSFÜLLEN in {settings}, then bring in a "
            "recording:"
        ).format(settings=settings),
        markup=False,
    )
    move = f"cd {_quoted(result.folder)}; " if result.folder != Path(".") else ""
    out.print(
        f"  {move}clipper ingest AUFZEICHNUNG.mp4"
        ' --title "Titel der Veranstaltung" --date 2026-05-17',
        markup=False,
    )


def _quoted(path: Path) -> str:
    text = str(path)
    return f'"{text}"' if " " in text else text


@reports_errors
def check(project: ProjectOption = Path(".")) -> None:
    """Check that the project is ready to publish, without publishing it."""
    from clipper.site.preflight_run import PreflightError, check_project

    report = check_project(project)
    for warning in report.warnings:
        _warn_line(warning)
    if not report.ok:
        print_problems(report.problems)
        raise PreflightError(report)
    out.print(_("Ready to publish: clipper publish"), markup=False)


def print_problems(problems: Sequence[object]) -> None:
    """The list of what to fix, one numbered line each (the error line follows it)."""
    err.print(_("Please fix before publishing:"), markup=False)
    for number, problem in enumerate(problems, start=1):
        err.print(f"  {number}. {problem}", markup=False)
