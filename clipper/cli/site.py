"""Commands that publish and show the site: `publish`, `serve`, `demo`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clipper.cli.common import (
    ALLOW_DAMAGED,
    LENIENT,
    PARENTS,
    ProjectOption,
    RichReporter,
    _warn_line,
    err,
    out,
    reports_errors,
)
from clipper.cli.deliver import DELIVER_TO, check_delivery_target, deliver_site
from clipper.i18n import N_, _

if TYPE_CHECKING:
    pass


@reports_errors
def publish(
    project: ProjectOption = Path("."),
    out_dir: Annotated[
        Path | None, typer.Option("--out", help=N_("Where to write the site (default: site/)."))
    ] = None,
    wait: Annotated[
        float, typer.Option(help=N_("Seconds to wait for another publish in this project."))
    ] = 10.0,
    portable: Annotated[
        bool,
        typer.Option(
            "--portable",
            help=N_(
                "Embed caption tracks in the pages, so captions also show when the site "
                "is opened from disk (file://)."
            ),
        ),
    ] = False,
    lenient: Annotated[bool, LENIENT] = False,
    parents: Annotated[bool, PARENTS] = False,
    allow_damaged: Annotated[bool, ALLOW_DAMAGED] = False,
    to: Annotated[str | None, DELIVER_TO] = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help=N_(
                "Publish even if the check finds problems, as a draft: every page says "
                "Entwurf and asks search engines not to index it."
            ),
        ),
    ] = False,
) -> None:
    """Build the static site from recordings/ and clipper.toml (only what changed is remade)."""
    from clipper.cli.office import print_problems
    from clipper.site.build import publish as publish_site
    from clipper.site.preflight_run import PreflightError

    check_delivery_target(project, to, out_dir)
    try:
        result = publish_site(
            project,
            out_dir,
            reporter=RichReporter(out),
            lock_wait=wait,
            portable=portable,
            lenient=lenient,
            parents=parents,
            allow_damaged=allow_damaged,
            preflight=True,
            draft=draft,
        )
    except PreflightError as exc:
        print_problems(list(exc.report.problems))
        raise
    for warning in result.warnings:
        _warn_line(warning)
    for note in result.recovered:
        out.print(_("note: an earlier run was interrupted; {note}").format(note=note), markup=False)
    if result.made == 0:
        out.print(
            _("Nothing changed: no media work needed ({reused} file(s) from the cache).").format(
                reused=result.reused
            ),
            markup=False,
        )
    else:
        out.print(
            _("Made {made} media file(s), reused {reused} from the cache.").format(
                made=result.made, reused=result.reused
            ),
            markup=False,
        )
    out.print(
        _(
            "Published {pages_count} event(s) to {out_dir}. View it "
            "with: clipper serve --site {out_dir}"
        ).format(pages_count=len(result.pages), out_dir=result.out_dir),
        markup=False,
    )
    if to is not None:
        deliver_site(project, result.out_dir, to)


@reports_errors
def serve(
    site: Annotated[Path, typer.Option(help=N_("The published site folder."))] = Path("site"),
    port: Annotated[int, typer.Option(help=N_("Port on 127.0.0.1."))] = 8000,
) -> None:
    """Serve the site on 127.0.0.1 with byte ranges, so seeking in videos works."""
    from clipper.site.server import serve as serve_site

    serve_site(
        site,
        port=port,
        ready=lambda url: out.print(
            _("Serving {site} at {url} (Ctrl+C stops)").format(site=site, url=url), markup=False
        ),
    )


@reports_errors
def demo(project: ProjectOption = Path(".")) -> None:
    """Create the demo event (a generated video call) and publish the site."""
    from clipper.demo import create_demo_event
    from clipper.site.build import publish as publish_site

    reporter = RichReporter(out)
    folder = create_demo_event(project, reporter=reporter)
    out.print(_("Demo event written to {folder}").format(folder=folder), markup=False)
    result = publish_site(project, reporter=reporter)
    for warning in result.warnings:
        err.print(_("warning: {warning}").format(warning=warning), markup=False)
    out.print(
        _(
            "Published to {out_dir}. View it with:\n  clipper serve "
            "--site {out_dir}\nthen open http://127.0.0.1:8000/ in a browser."
        ).format(out_dir=result.out_dir),
        markup=False,
    )
