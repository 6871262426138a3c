"""The archive: events in `recordings/<slug>/`, each described by an `event.toml`.

A relative path in `event.toml` is looked up in the event's folder first, then in the
project folder (the one holding `recordings/`). Every problem names the file, the key and
the fix, so staff can correct the file themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clipper.archive.eventfile import (
    EVENT_FILE,
    event_folders,
    read_event_file,
    type_name,
    unknown_key,
)
from clipper.archive.eventfile import (
    RECORDINGS as RECORDINGS,  # for callers that load events by folder
)
from clipper.archive.original import Original, read_original
from clipper.archive.slugs import SLUG_HINT, clip_slug, slug_problem
from clipper.archive.tabletrap import check_table_trap
from clipper.archive.transcript_status import read_names, read_status
from clipper.errors import EventError, SourceLocation
from clipper.files.toml import as_date
from clipper.i18n import _
from clipper.ranges.grammar import RangeSpec, parse_specs, starts_like_a_range
from clipper.ranges.read import read_specs

KNOWN_KEYS = {
    "title",
    "date",
    "language",
    "recording",
    "transcript",
    "description",
    "credits",
    "clips",
    # optional texts for the page (WCAG 1.2.3/1.2.5, Leichte Sprache)
    "plain_language",
    "visual_description",
    "original",
    # `clipper transcribe` (archive/transcript_status.py): "automatisch" or "geprüft"; name hints
    "transcript_status",
    "names",
}
CLIP_KEYS = {"title", "ranges"}


@dataclass(frozen=True)
class ClipSpec:
    """A summary clip to cut from the event's recording.

    Its ranges are parsed but not resolved: cue selections need the transcript and frame
    timecodes the recording's frame rate (`clipper.ranges.selection.resolve`, at publish time).
    """

    title: str
    slug: str
    specs: list[RangeSpec]
    ranges_source: Path | str  # the ranges file, or "event.toml ([[clips]] N)" for inline ranges


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
    original: Original | None = None
    transcript_status: str | None = None  # "automatisch" until staff have checked it
    names: tuple[str, ...] = ()  # speakers, places, rare words: hints for `clipper transcribe`
    date_confirmed: bool = True  # False: a date in quotes, as ingest writes the file's date

    @property
    def event_file(self) -> Path:
        return self.folder / EVENT_FILE


def resolve_path(value: str, event_dir: Path, project_dir: Path, *, key: str) -> Path:
    """Find a file named in event.toml: absolute, else event folder, then project folder."""
    candidate = Path(value).expanduser()
    if candidate.is_absolute():
        if candidate.exists():
            return candidate
        raise EventError(
            _("{key} = {value!r}: file not found").format(key=key, value=value),
            path=event_dir / EVENT_FILE,
            hint=_("check the path"),
        )
    places = [event_dir / candidate, project_dir / candidate]
    for place in places:
        if place.is_dir():
            raise EventError(
                _("{key} = {value!r} is a folder, not a file").format(key=key, value=value),
                path=event_dir / EVENT_FILE,
                hint=_("name the file inside it"),
            )
        if place.exists():
            return place
    raise EventError(
        _("{key} = {value!r}: file not found; looked in {places} and {places2}").format(
            key=key, value=value, places=places[0], places2=places[1]
        ),
        path=event_dir / EVENT_FILE,
        hint=_("fix the name or copy the file there"),
    )


def _require_str(data: dict[str, Any], key: str, path: Path, *, where: str = "") -> str:
    if key not in data:
        raise EventError(
            _("missing key {key!r}{where}").format(key=key, where=where),
            path=path,
            hint=_('add {key} = "..."').format(key=key),
        )
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        kind = "empty" if isinstance(value, str) else type_name(value)
        raise EventError(
            _("{key!r}{where} must be a non-empty text in quotes, not {kind}").format(
                key=key, where=where, kind=kind
            ),
            path=path,
            hint=f'{key} = "..."',
        )
    return value


def load_event(folder: Path, project_dir: Path) -> Event:
    """Read and validate one event folder."""
    path = folder / EVENT_FILE
    data, toml_text = read_event_file(folder)
    check_table_trap(data, KNOWN_KEYS - {"original", "clips"}, path)
    for key in data:
        if key not in KNOWN_KEYS:
            raise unknown_key(key, KNOWN_KEYS, path, "")
    slug = folder.name
    problem = slug_problem(slug)
    if problem is not None:
        raise EventError(
            _("the folder name {slug!r} is not a valid event name: it {problem}").format(
                slug=slug, problem=problem
            ),
            path=folder,
            hint=_(SLUG_HINT),
        )
    title = _require_str(data, "title", path)
    date = _read_date(data, path)
    language = data.get("language", "de")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", language):
        raise EventError(
            _("language {language!r} is not a language code").format(language=language),
            path=path,
            hint=_('e.g. language = "de"'),
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
        raise _wrong_type("description", description, path, 'description = """Markdown ..."""')
    credits = data.get("credits")
    if credits is not None and not isinstance(credits, str):
        raise _wrong_type("credits", credits, path, 'credits = "Aufzeichnung: Pressestelle"')
    clips = _read_clips(data.get("clips", []), folder, project_dir, path, toml_text)
    if transcript is None:
        _refuse_cue_selections(clips, path)
    plain_language = _optional_markdown(data, "plain_language", path)
    visual_description = _optional_markdown(data, "visual_description", path)
    original = read_original(data.get("original"), path)
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
        original=original,
        transcript_status=read_status(data, path),
        names=read_names(data, path),
        date_confirmed=not isinstance(data["date"], str),
    )


def _wrong_type(key: str, value: Any, path: Path, example: str) -> EventError:
    return EventError(
        _("{key!r} must be text (Markdown), not {type_name}").format(
            key=key, type_name=type_name(value)
        ),
        path=path,
        hint=_("write it like: {example}").format(example=example),
    )


def _optional_markdown(data: dict[str, Any], key: str, path: Path) -> str | None:
    """An optional Markdown text; an empty one counts as absent."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise EventError(
            _("{key!r} must be text (Markdown)").format(key=key),
            path=path,
            hint=f'{key} = """..."""',
        )
    return value if value.strip() else None


def _read_date(data: dict[str, Any], path: Path) -> dt.date:
    if "date" not in data:
        raise EventError(_("missing key 'date'"), path=path, hint=_("add date = 2024-05-17"))
    value = data["date"]
    day = as_date(value)
    if day is not None:
        return day
    raise EventError(
        _("date {value!r} is not a date").format(value=value),
        path=path,
        hint=_("write date = 2024-05-17"),
    )


def _read_clips(
    raw: Any, folder: Path, project_dir: Path, path: Path, toml_text: str
) -> list[ClipSpec]:
    if not isinstance(raw, list):
        raise EventError(
            _("'clips' must be a list of [[clips]] tables, not {type_name}").format(
                type_name=type_name(raw)
            ),
            path=path,
            hint=_('write each clip as [[clips]] with title = "..." and ranges = "..."'),
        )
    clips: list[ClipSpec] = []
    seen: set[str] = set()
    titles: set[str] = set()
    for number, item in enumerate(raw, start=1):
        where = f" in [[clips]] number {number}"
        if not isinstance(item, dict):
            raise EventError(
                _("[[clips]] number {number} must be a table, not {type_name}").format(
                    number=number, type_name=type_name(item)
                ),
                path=path,
                hint=_('[[clips]] on its own line, then title = "..." and ranges = "..."'),
            )
        for key in item:
            if key not in CLIP_KEYS:
                raise unknown_key(key, CLIP_KEYS, path, where)
        title = _require_str(item, "title", path, where=where)
        if item.get("ranges") == "":  # left empty: the preflight refuses it, a draft skips it
            specs: list[RangeSpec] = []
            source: Path | str = f"{path} ([[clips]] {number})"
        else:
            ranges_value = _require_str(item, "ranges", path, where=where)
            specs, source = _read_clip_ranges(
                ranges_value, folder, project_dir, path, number, toml_text
            )
        if title in titles:
            raise EventError(
                _("two clips are called {title!r}").format(title=title),
                path=path,
                hint=_("give each clip its own title"),
            )
        titles.add(title)
        # different titles with the same name on disk, or clipper's own: numbered
        slug = clip_slug(title, seen)
        seen.add(slug)
        clips.append(ClipSpec(title=title, slug=slug, specs=specs, ranges_source=source))
    return clips


def _read_clip_ranges(
    value: str, folder: Path, project_dir: Path, path: Path, number: int, toml_text: str
) -> tuple[list[RangeSpec], Path | str]:
    """Ranges inline (several lines, or one line with a time or a cue selection) or a path
    to a ranges file. Errors in inline ranges name event.toml's own line where it can be
    found, else the line within the ranges text."""
    stripped = value.strip()
    # A file named by its date ("2024-05-17.ranges") starts like a range, but is a file.
    file_name = "\n" not in stripped and Path(stripped).suffix.lower() in RANGES_SUFFIXES
    if not file_name and ("\n" in stripped or starts_like_a_range(value)):
        first_line = inline_first_line(toml_text, number, value)
        if first_line is None:
            source = f"{path} ([[clips]] {number}, ranges)"
            return parse_specs(value, source=source), source
        source = f"{path} ([[clips]] {number})"
        return parse_specs(value, source=source, first_line=first_line), source
    file = resolve_path(stripped, folder, project_dir, key=f"[[clips]] {number} ranges")
    return read_specs(file), file


RANGES_SUFFIXES = {".ranges", ".csv", ".tsv", ".txt"}
_CLIPS_TABLE = re.compile(r"^\s*\[\[\s*clips\s*\]\]")
_RANGES_KEY = re.compile(r"^\s*ranges\s*=\s*(?P<quote>\"\"\"|\'\'\'|\"|\')(?P<rest>.*)$")


def inline_first_line(toml_text: str, number: int, value: str) -> int | None:
    """The line of event.toml holding the first line of clip `number`'s inline ranges.

    Found by looking for the `ranges =` key after the number-th `[[clips]]`, and trusted
    only if the file's lines there are the value's lines (no escapes in between); else None.
    """
    lines = toml_text.splitlines()
    tables = [i for i, line in enumerate(lines) if _CLIPS_TABLE.match(line)]
    if len(tables) < number:
        return None
    end = tables[number] if number < len(tables) else len(lines)
    for index in range(tables[number - 1] + 1, end):
        match = _RANGES_KEY.match(lines[index])
        if not match:
            continue
        multiline = len(match["quote"]) == 3
        first = index + 1 if multiline and not match["rest"].strip() else index
        value_lines = value.splitlines()
        file_lines = lines[first : first + len(value_lines)]
        if len(file_lines) != len(value_lines) or any(
            v.strip() and v.strip() not in f for v, f in zip(value_lines, file_lines, strict=True)
        ):
            return None
        return first + 1
    return None


def _refuse_cue_selections(clips: list[ClipSpec], path: Path) -> None:
    """Cue selections need the event's transcript; say so when the event.toml is read."""
    for clip in clips:
        for spec in clip.specs:
            if spec.needs_transcript:
                at = SourceLocation(clip.ranges_source, spec.line).format("within")
                raise EventError(
                    _(
                        "clip {title!r} selects cues of the transcript ({at}), "
                        "but the event has no transcript"
                    ).format(title=clip.title, at=at),
                    path=path,
                    hint=_('add transcript = "....vtt", or give the range as times'),
                )


def load_events(project_dir: Path) -> list[Event]:
    """All events of the project, newest first."""
    root = project_dir / RECORDINGS
    if not root.is_dir():
        raise EventError(
            _("no recordings folder"),
            path=root,
            hint=_("run `clipper demo` or create recordings/<event>/"),
        )
    events = [load_event(folder, project_dir) for folder in event_folders(root)]
    events.sort(key=lambda e: (e.date, e.slug), reverse=True)
    return events
