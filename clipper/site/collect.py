"""Publishing, phase 1: read the catalogue -- the events, the settings, the theme and the
target, all checked before any work starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clipper.archive.event import Event, load_events
from clipper.archive.protect import check_site_target
from clipper.errors import ClipperError
from clipper.i18n import _
from clipper.settings import Settings, load_settings


@dataclass(frozen=True)
class Catalogue:
    """What a publish works from: nothing here has been written yet."""

    project_dir: Path
    out_dir: Path
    events: list[Event]
    settings: Settings
    theme_dir: Path | None


def read_catalogue(
    project_dir: Path,
    out_dir: Path | None,
    *,
    settings: Settings | None,
    theme_dir: Path | None,
    parents: bool,
) -> Catalogue:
    """The events of `recordings/`, the settings and the theme; refuses an empty archive
    and a target folder that is not this project's site (clipper/files/guard.py)."""
    settings = settings or load_settings(project_dir)
    out_dir = Path(out_dir) if out_dir else project_dir / "site"
    events = load_events(project_dir)
    if not events:
        raise ClipperError(
            _("no events to publish"),
            path=project_dir / "recordings",
            hint=_("add a folder with an event.toml, or run `clipper demo`"),
        )
    check_site_target(project_dir, out_dir, parents=parents)
    if theme_dir is None and (project_dir / "theme").is_dir():
        theme_dir = project_dir / "theme"
    return Catalogue(project_dir, out_dir, events, settings, theme_dir)
