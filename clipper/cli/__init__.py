"""The `clipper` command line: parse arguments, call one library function, report.

Each module here holds one group of commands and only parses options, calls the library
and prints; this file puts them together. Library errors (ClipperError) become one line on
stderr and exit code 1; no traceback unless CLIPPER_DEBUG=1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clipper import __version__
from clipper.cli import archive, embed, media, office, ranges, site, subtitles, transcribe
from clipper.cli.common import _speak_as_project, out
from clipper.cli.lang import LocalizedGroup
from clipper.i18n import N_, _
from clipper.media import children

app = typer.Typer(
    cls=LocalizedGroup,
    help=N_("Cut, subtitle and publish recorded video conferences."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(media.probe)
app.command()(media.cut)
app.add_typer(ranges.ranges_app, name="ranges")
app.command("transcript")(ranges.transcript_list)
app.command()(site.publish)
app.command()(archive.ingest)
app.command("list")(archive.list_events)
app.command()(archive.verify)
app.command()(site.serve)
app.command()(site.demo)
app.command()(media.doctor)
app.add_typer(subtitles.subtitles_app, name="subtitles")
app.command()(transcribe.transcribe)
app.command()(embed.embed)
app.command(
    help=N_("Start a project: clipper.toml to fill in, and recordings/, transcripts/, site/.")
)(office.init)
app.command(help=N_("Check that the project is ready to publish, without publishing it."))(
    office.check
)


def version_callback(value: bool) -> None:
    if value:
        out.print(_("clipper {version}").format(version=__version__))
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help=N_("Show version.")
        ),
    ] = False,
) -> None:
    """clipper: cut, subtitle and publish recorded video conferences."""
    _speak_as_project(Path("."))  # commands without --project: the current folder's


def main() -> None:
    children.cancel_on_signals()
    try:
        app()
    finally:
        children.stop_all()
