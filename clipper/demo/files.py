"""The demo's ranges list (written atomically by the caller; event.toml: clipper.archive)."""

from __future__ import annotations

from collections.abc import Sequence

from clipper.demo.script import SummaryRange
from clipper.timecode import format_time


def ranges_text(ranges: Sequence[SummaryRange], title: str) -> str:
    """A ranges list, `MM:SS.fff - MM:SS.fff  label`, with a comment header."""
    lines = [f"# {title}: Ausschnitte aus der Aufzeichnung (Beginn - Ende  Beschreibung)"]
    for r in ranges:
        start = format_time(r.start_ms, always_hours=False)
        end = format_time(r.end_ms, always_hours=False)
        label = " ".join(r.label.replace("#", "Nr.").split())
        lines.append(f"{start} - {end}  {label}")
    return "\n".join(lines) + "\n"
