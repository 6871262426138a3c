"""The archive: events in `recordings/<slug>/`, each described by an `event.toml`.

A relative path in `event.toml` is looked up in the event's folder first, then in the
project folder (the one holding `recordings/`). Every problem names the file, the key and
the fix, so staff can correct the file themselves.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clipper.errors import EventError
from clipper.ranges import Range, parse_ranges, read_ranges

EVENT_FILE = "event.toml"
RECORDINGS = "recordings"

KNOWN_KEYS = {
    "title",
    "date",
    "language",
    "recording",
    "transcript",
    "description",
    "credits",
    "clips",
    # issue 5: optional texts for the page (WCAG 1.2.3/1.2.5, Leichte Sprache)
    "plain_language",
    "visual_description",
}
CLIP_KEYS = {"title", "ranges"}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class ClipSpec:
    """A summary clip to cut from the event's recording."""

    title: str
    slug: str
    ranges: list[Range]
    ranges_source: Path | str  # the ranges file, or "event.toml [[clips]] N" for inline ranges


@dataclass(frozen=True)
class Event:
    slug: str
    folder: Path
    title: str
    date: dt.date
    language: str
    recording: Path
    transcript: Path | None
    description: str
    credits: str | None
    clips: list[ClipSpec]
    plain_language: str | None = None  # Markdown: summary in Leichte Sprache
    visual_description: str | None = None  # Markdown: what is seen (people, slides)

    @property
    def event_file(self) -> Path:
        return self.folder / EVENT_FILE


def slugify(text: str) -> str:
    """A URL- and file-safe name: German umlauts transliterated, lower case, hyphens."""
    table = str.maketrans(
        {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
    )
    text = text.translate(table).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or "clip"


def resolve_path(value: str, event_dir: Path, project_dir: Path, *, key: str) -> Path:
    """Find a file named in event.toml: absolute, else event folder, then project folder."""
    candidate = Path(value).expanduser()
    if candidate.is_absolute():
        if candidate.exists():
            return candidate
        raise EventError(
            f"{key} = {value!r}: file not found", path=event_dir / EVENT_FILE, hint="check the path"
        )
    places = [event_dir / candidate, project_dir / candidate]
    for place in places:
        if place.exists():
            return place
    raise EventError(
        f"{key} = {value!r}: file not found; looked in {places[0]} and {places[1]}",
        path=event_dir / EVENT_FILE,
        hint="fix the name or copy the file there",
    )


def _unknown_key(key: str, known: set[str], path: Path, where: str) -> EventError:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(sorted(known))}"
    return EventError(f"unknown key {key!r}{where}", path=path, hint=hint)


def _require_str(data: dict[str, Any], key: str, path: Path, *, where: str = "") -> str:
    if key not in data:
        raise EventError(f"missing key {key!r}{where}", path=path, hint=f'add {key} = "..."')
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise EventError(
            f"{key!r}{where} must be a non-empty text in quotes", path=path, hint=f'{key} = "..."'
        )
    return value


def load_event(folder: Path, project_dir: Path) -> Event:
    """Read and validate one event folder."""
    path = folder / EVENT_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise EventError("event.toml not found", path=path) from exc
    except UnicodeDecodeError as exc:
        raise EventError(
            "event.toml is not UTF-8 text", path=path, hint="save it as UTF-8"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise EventError(f"not valid TOML: {exc}", path=path, line=line) from exc
    for key in data:
        if key not in KNOWN_KEYS:
            raise _unknown_key(key, KNOWN_KEYS, path, "")
    slug = folder.name
    if not _SLUG.match(slug):
        raise EventError(
            f"the folder name {slug!r} is not a valid event name",
            path=folder,
            hint="use lower-case letters, digits and hyphens, e.g. ratssitzung-2024-05",
        )
    title = _require_str(data, "title", path)
    date = _read_date(data, path)
    language = data.get("language", "de")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", language):
        raise EventError(
            f"language {language!r} is not a language code", path=path, hint='e.g. language = "de"'
        )
    recording = resolve_path(
        _require_str(data, "recording", path), folder, project_dir, key="recording"
    )
    transcript = None
    if "transcript" in data:
        transcript = resolve_path(
            _require_str(data, "transcript", path), folder, project_dir, key="transcript"
        )
    description = data.get("description", "")
    if not isinstance(description, str):
        raise EventError("'description' must be text (Markdown)", path=path)
    credits = data.get("credits")
    if credits is not None and not isinstance(credits, str):
        raise EventError("'credits' must be text (Markdown)", path=path)
    clips = _read_clips(data.get("clips", []), folder, project_dir, path)
    plain_language = _optional_markdown(data, "plain_language", path)
    visual_description = _optional_markdown(data, "visual_description", path)
    return Event(
        slug=slug,
        folder=folder,
        title=title,
        date=date,
        language=language,
        recording=recording,
        transcript=transcript,
        description=description,
        credits=credits,
        clips=clips,
        plain_language=plain_language,
        visual_description=visual_description,
    )


def _optional_markdown(data: dict[str, Any], key: str, path: Path) -> str | None:
    """An optional Markdown text; an empty one counts as absent."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise EventError(f"{key!r} must be text (Markdown)", path=path, hint=f'{key} = """..."""')
    return value if value.strip() else None


def _read_date(data: dict[str, Any], path: Path) -> dt.date:
    if "date" not in data:
        raise EventError("missing key 'date'", path=path, hint="add date = 2024-05-17")
    value = data["date"]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise EventError(f"date {value!r} is not a date", path=path, hint="write date = 2024-05-17")


def _read_clips(raw: Any, folder: Path, project_dir: Path, path: Path) -> list[ClipSpec]:
    if not isinstance(raw, list):
        raise EventError("'clips' must be a list of [[clips]] tables", path=path)
    clips: list[ClipSpec] = []
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        where = f" in [[clips]] number {number}"
        if not isinstance(item, dict):
            raise EventError(f"[[clips]] number {number} must be a table", path=path)
        for key in item:
            if key not in CLIP_KEYS:
                raise _unknown_key(key, CLIP_KEYS, path, where)
        title = _require_str(item, "title", path, where=where)
        ranges_value = _require_str(item, "ranges", path, where=where)
        ranges, source = _read_clip_ranges(ranges_value, folder, project_dir, path, number)
        slug = slugify(title)
        if slug in seen:
            raise EventError(
                f"two clips are called {title!r}", path=path, hint="give each clip its own title"
            )
        seen.add(slug)
        clips.append(ClipSpec(title=title, slug=slug, ranges=ranges, ranges_source=source))
    return clips


def _read_clip_ranges(
    value: str, folder: Path, project_dir: Path, path: Path, number: int
) -> tuple[list[Range], Path | str]:
    """Ranges inline (several lines, or one line with a time) or a path to a ranges file."""
    looks_inline = "\n" in value.strip() or re.match(r"^\s*\d[\d:.,]*\s*(-->|–|—|-)", value)
    if looks_inline:
        source = f"{path} ([[clips]] {number}, ranges)"
        return parse_ranges(value, source=source), source
    file = resolve_path(value.strip(), folder, project_dir, key=f"[[clips]] {number} ranges")
    return read_ranges(file), file


def load_events(project_dir: Path) -> list[Event]:
    """All events of the project, newest first."""
    root = project_dir / RECORDINGS
    if not root.is_dir():
        raise EventError(
            "no recordings folder",
            path=root,
            hint="run `clipper demo` or create recordings/<event>/",
        )
    events = [
        load_event(folder, project_dir)
        for folder in sorted(root.iterdir())
        if folder.is_dir() and not folder.name.startswith(".")
    ]
    events.sort(key=lambda e: (e.date, e.slug), reverse=True)
    return events
