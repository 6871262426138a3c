"""The demo's text files: event.toml and the ranges list (written atomically by the caller)."""

from __future__ import annotations

from collections.abc import Sequence

from clipper.demo.script import SummaryRange
from clipper.files.toml import toml_string
from clipper.timecode import format_time


def event_toml(
    *,
    title: str,
    date: str,
    language: str,
    recording: str,
    transcript: str,
    description: str,
    credits: str,
    clips: Sequence[tuple[str, str]],
    plain_language: str | None = None,
    visual_description: str | None = None,
    original: Sequence[str] = (),
) -> str:
    """event.toml text; `date` is an ISO date written as a TOML date, clips are (title, ranges).

    `original` is the `[original]` table (as `clipper ingest` writes it), so `clipper verify`
    can check the demo recording like any other.
    """
    lines = [
        f"title = {toml_string(title)}",
        f"date = {date}",
        f"language = {toml_string(language)}",
        f"recording = {toml_string(recording)}",
        f"transcript = {toml_string(transcript)}",
        f"description = {toml_string(description, multiline=True)}",
        f"credits = {toml_string(credits, multiline=True)}",
    ]
    if plain_language:
        lines.append(f"plain_language = {toml_string(plain_language, multiline=True)}")
    if visual_description:
        lines.append(f"visual_description = {toml_string(visual_description, multiline=True)}")
    for clip_title, ranges in clips:
        lines += ["", "[[clips]]", f"title = {toml_string(clip_title)}"]
        lines.append(f"ranges = {toml_string(ranges)}")
    if original:
        lines += ["", *original]
    return "\n".join(lines) + "\n"


def ranges_text(ranges: Sequence[SummaryRange], title: str) -> str:
    """A ranges list, `MM:SS.fff - MM:SS.fff  label`, with a comment header."""
    lines = [f"# {title}: Ausschnitte aus der Aufzeichnung (Beginn - Ende  Beschreibung)"]
    for r in ranges:
        start = format_time(r.start_ms, always_hours=False)
        end = format_time(r.end_ms, always_hours=False)
        label = " ".join(r.label.replace("#", "Nr.").split())
        lines.append(f"{start} - {end}  {label}")
    return "\n".join(lines) + "\n"
