"""`clipper embed`: print the code that puts a video into a news post."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.common import out, reports_errors
from clipper.i18n import N_


@reports_errors
def embed(
    event: Annotated[
        Path, typer.Argument(help=N_("The event's folder (recordings/<name>) or its name."))
    ],
    clip: Annotated[
        str | None, typer.Option("--clip", help=N_("The clip's title (default: the first clip)."))
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help=N_("The full recording instead of a clip."))
    ] = False,
    width: Annotated[
        int | None, typer.Option("--width", help=N_("Width of the player in pixels (default 640)."))
    ] = None,
    project: Annotated[
        Path | None,
        typer.Option("--project", "-p", help=N_("Project folder, to find an event by its name.")),
    ] = None,
) -> None:
    """Print the HTML to paste into a web page: the player (iframe) and a link under it."""
    from clipper.site.embed_lookup import embed_snippet

    code = embed_snippet(event, project=project, clip=clip, full=full, width=width)
    out.print(code, markup=False, soft_wrap=True)
