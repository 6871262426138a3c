"""`clipper transcribe EVENT`: an automatic transcript becomes the event's transcript.

The new file is `<recording>.<language>.vtt` in the event's folder. An event that has a
transcript keeps it unless `--replace` is given; then the earlier file stays where it is
(or, when it has the new file's name, is kept as `NAME.alt.vtt`), and event.toml names the
new one with `transcript_status = "automatisch"`. The project lock is held only while the
file and event.toml are written, so a long transcription never blocks a publish.
"""

from __future__ import annotations

from dataclasses import replace as with_changes
from pathlib import Path

from clipper.archive.event import load_event
from clipper.archive.eventfile import EVENT_FILE, RECORDINGS
from clipper.archive.transcript_status import AUTOMATIC, set_transcript
from clipper.errors import EventError
from clipper.files.guard import GuardError, same, spot
from clipper.files.lock import project_lock
from clipper.i18n import _
from clipper.progress import Reporter
from clipper.transcribe.prompt import initial_prompt
from clipper.transcribe.run import Options, Result, put_in_place, transcribe_file


def event_folder(target: Path, project: Path | None) -> Path | None:
    """The event folder `target` names (the folder, its event.toml, or its slug), or None
    when it names something else (a recording)."""
    if target.is_file() and target.name == EVENT_FILE:
        return target.parent
    if target.is_dir() and (target / EVENT_FILE).is_file():
        return target
    if not target.exists() and len(target.parts) == 1:
        folder = (project or Path.cwd()) / RECORDINGS / target.name
        if (folder / EVENT_FILE).is_file():
            return folder
    return None


def project_of(folder: Path) -> Path:
    resolved = folder.resolve()
    if resolved.parent.name != RECORDINGS:
        raise EventError(
            _("an event folder lies in recordings/ of a project"),
            path=folder,
            hint=_("give recordings/<event> or the event's name"),
        )
    return resolved.parent.parent


def _target(folder: Path, recording: Path, language: str) -> Path:
    target = folder / f"{recording.stem}.{language}.vtt"
    return target if target != recording else folder / f"{recording.stem}.auto.{language}.vtt"


def _refuse_existing(event_transcript: Path | None, target: Path, slug: str) -> None:
    if event_transcript is not None:
        raise GuardError(
            _(
                "event {slug!r} has a transcript already ({name}); it is never replaced unasked"
            ).format(slug=slug, name=event_transcript.name),
            path=event_transcript,
            hint=_("add --replace to make a new one (the old one is kept)"),
        )
    if target.exists():
        raise GuardError(
            _("exists already"), path=target, hint=_("add --replace to keep it as .alt.vtt")
        )


def transcribe_event(
    folder: Path,
    options: Options,
    *,
    replace: bool = False,
    reporter: Reporter | None = None,
    cache: Path | None = None,
    wait: float = 10.0,
) -> Result:
    """Transcribe the event's recording and make it the event's transcript."""
    project = project_of(folder)
    folder = project / RECORDINGS / folder.resolve().name
    event = load_event(folder, project)
    language = options.language or event.language
    target = _target(folder, event.recording, language)
    if same(spot(target), spot(event.recording)):
        raise GuardError(_("is the event's recording"), path=target, hint=_("rename the recording"))
    if not replace:
        _refuse_existing(event.transcript, target, event.slug)
    prompt = options.prompt or initial_prompt(event.title, event.description, event.names)
    options = with_changes(options, language=language, prompt=prompt)

    def write(text: str) -> Path | None:
        with project_lock(project, "clipper transcribe", wait=wait):
            now = load_event(folder, project)  # it may have changed during a long run
            if not replace:
                _refuse_existing(now.transcript, target, now.slug)
            kept = put_in_place(target, text, replace=replace)
            set_transcript(now.event_file, target.name, AUTOMATIC)
        if (
            kept is None
            and now.transcript is not None
            and not same(spot(now.transcript), spot(target))
        ):
            return now.transcript  # stays where it was
        return kept

    return transcribe_file(
        event.recording,
        target,
        options,
        replace=replace,
        reporter=reporter,
        cache=cache,
        write=write,
    )
