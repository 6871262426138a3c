"""`clipper publish --to TARGET`: the delivery half of publish (clipper/site/deliver.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from clipper.cli.common import RichReporter, out
from clipper.i18n import N_, _, ngettext

DELIVER_TO = typer.Option(
    "--to",
    help=N_(
        "After building, copy the site to where it is served: a folder (a mounted share) "
        "or an rclone remote (remote:path). Only changed files are sent."
    ),
)


def check_delivery_target(project: Path, target: str | None, out_dir: Path | None) -> None:
    """Refuse a wrong target before the site is built (nothing is built in vain)."""
    if target is not None:
        from clipper.site.deliver import checked_target

        checked_target(project, target, out_dir or project / "site")


def deliver_site(project: Path, site_dir: Path, target: str) -> None:
    from clipper.site.deliver import deliver

    result = deliver(project, site_dir, target, reporter=RichReporter(out))
    plan = result.plan
    if plan.empty:
        out.print(
            _("Nothing to deliver: {target} already has this site.").format(target=result.target),
            markup=False,
        )
        return
    sent = ngettext("{count} file sent", "{count} files sent", plan.sent_count).format(
        count=plan.sent_count
    )
    removed = ngettext("{count} old file removed", "{count} old files removed", len(plan.remove))
    out.print(
        _("Delivered to {target}: {sent}, {removed}, {unchanged} unchanged.").format(
            target=result.target,
            sent=sent,
            removed=removed.format(count=len(plan.remove)),
            unchanged=plan.unchanged,
        ),
        markup=False,
    )
