"""An event's clips as `clipper publish` will cut them: each clip's ranges resolved against
the event's transcript and recording (what `clipper ranges check EVENT` shows)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clipper.archive.event import ClipSpec, load_event
from clipper.archive.eventfile import EVENT_FILE
from clipper.archive.lookup import event_named, project_of
from clipper.errors import RangeError
from clipper.i18n import N_, _
from clipper.media.probe import probe
from clipper.ranges.selection import Selection, resolve_for_media
from clipper.subtitles import read_subtitles

# For ranges in event.toml that select cues of an event without a transcript.
EVENT_TRANSCRIPT_HINT = N_('add transcript = "....vtt" to event.toml')


def event_folder(path: Path) -> Path | None:
    """The event folder `path` names (the folder, its event.toml or the event's name), or
    None for other files."""
    return event_named(path)


def resolve_event_clips(
    folder: Path, *, lenient: bool = False, warn: Callable[[str], None] | None = None
) -> tuple[Path, list[tuple[ClipSpec, Selection]]]:
    """The event's recording, and each clip of the event resolved as `clipper publish` would
    resolve it: against the event's transcript and recording."""
    project = project_of(folder)
    event = load_event(folder, project)
    if not event.clips:
        raise RangeError(
            _("the event has no clips yet"),
            path=folder / EVENT_FILE,
            hint=_("add a [[clips]] table with title and ranges"),
        )
    track = (
        read_subtitles(event.transcript, lenient=lenient, warn=warn) if event.transcript else None
    )
    cues = track.cues if track is not None else None
    info = probe(event.recording, scan_keyframes=False)  # once for all clips
    info.require_video()
    return event.recording, [
        (
            clip,
            resolve_for_media(
                clip.specs,
                info,
                source=clip.ranges_source,
                cues=cues,
                transcript_hint=EVENT_TRANSCRIPT_HINT,
                transcript_name=event.slug,  # `clipper transcript <event>` works anywhere
            ),
        )
        for clip in event.clips
    ]
