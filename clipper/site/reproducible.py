"""Builds that repeat: publishing again with nothing changed writes the same bytes, so a
delivery (clipper/site/deliver.py) has nothing to send.

The one fact of a build that is not in the project is the accessibility statement's date
when clipper.toml does not set `statement_date`: it was "today", a new page every day.
It is now the day the statement was first published, kept in the project's cache.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from clipper.files.atomic import atomic_write_text
from clipper.settings import Settings

STATEMENT_DATE_FILE = "statement-date.txt"


def stable_statement_date(
    settings: Settings, cache_dir: Path, *, today: dt.date | None = None
) -> Settings:
    """`settings` with a statement date: the configured one, else the first publish's."""
    if settings.accessibility.statement_date is not None:
        return settings
    path = cache_dir / STATEMENT_DATE_FILE
    try:
        day = dt.date.fromisoformat(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        day = today or dt.date.today()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, day.isoformat() + "\n")
    return replace(settings, accessibility=replace(settings.accessibility, statement_date=day))
