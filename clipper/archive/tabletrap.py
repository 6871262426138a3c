"""The TOML table trap: a line written below `[original]` (or a `[[clips]]` table) belongs
to that table, not to the event, and TOML says nothing about it.

Staff add `description = "..."` at the end of event.toml, where it lands in `[original]`;
the plain "unknown key" error would not tell them why. This names the key and the table
and says where the line belongs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clipper.errors import EventError
from clipper.i18n import _


def check_table_trap(data: dict[str, Any], event_keys: set[str], path: Path) -> None:
    """EventError when `[original]` or a `[[clips]]` table holds a key of the event itself."""
    tables: list[tuple[str, Any, set[str]]] = [("[original]", data.get("original"), set())]
    clips = data.get("clips")
    if isinstance(clips, list):
        tables += [("[[clips]]", clip, {"title", "ranges"}) for clip in clips]
    for name, table, own in tables:
        if not isinstance(table, dict):
            continue
        for key in table:
            if key in event_keys and key not in own and key not in _ORIGINAL_ALSO:
                raise EventError(
                    _(
                        "the line {key} = ... stands below {table}, so it counts as part of "
                        "{table}, not of the event"
                    ).format(key=key, table=name),
                    path=path,
                    hint=_("move the line above the line {table}").format(table=name),
                )


# keys [original] has of its own that share a name with an event key (none today; kept
# explicit so a new one cannot turn into a false alarm)
_ORIGINAL_ALSO: frozenset[str] = frozenset()
