"""What the archive holds (`clipper list`) and whether it is still intact (`clipper verify`).

Verify re-reads every original and compares its SHA-256 with the one recorded at ingest,
so a recording that was changed, truncated or deleted is noticed, years later if need be.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from clipper.archive.event import Event, load_events
from clipper.archive.eventfile import (
    EVENT_FILE,
    RECORDINGS,
    event_folders,
    named_places,
    read_event_file,
)
from clipper.archive.original import read_original
from clipper.errors import ArchiveError, ClipperError, EventError
from clipper.files.checksums import sha256_file
from clipper.i18n import _
from clipper.media.probe import probe

SITE_DIR = "site"


@dataclass(frozen=True)
class EventSummary:
    slug: str
    title: str
    date: dt.date
    duration_s: float | None
    clips: int
    subtitles: bool
    published: bool


def list_events(project_dir: Path, site_dir: Path | None = None) -> list[EventSummary]:
    """Events newest first, with what a member of staff wants to know at a glance."""
    site_dir = site_dir or Path(project_dir) / SITE_DIR
    summaries = []
    for event in load_events(Path(project_dir)):
        summaries.append(
            EventSummary(
                slug=event.slug,
                title=event.title,
                date=event.date,
                duration_s=_duration(event),
                clips=len(event.clips),
                subtitles=event.transcript is not None,
                published=(site_dir / "events" / event.slug / "index.html").is_file(),
            )
        )
    return summaries


def _duration(event: Event) -> float | None:
    if event.original is not None and event.original.duration is not None:
        return event.original.duration
    try:
        return float(probe(event.recording, scan_keyframes=False).duration)
    except ClipperError:
        return None


@dataclass(frozen=True)
class Check:
    """The verdict on one original or transcript: "ok", "changed", "missing" or "unrecorded".

    A changed transcript is not a failure: staff are meant to edit transcripts (a typo, a
    name); verify lists it so that an unexpected change is seen. A missing one is.
    """

    slug: str
    path: Path
    status: str
    detail: str = ""
    kind: str = "recording"  # or "transcript"

    @property
    def failed(self) -> bool:
        if self.kind == "transcript":
            return self.status == "missing"
        return self.status in ("changed", "missing")


def verify_archive(project_dir: Path) -> list[Check]:
    """Re-hash every original that has a recorded checksum; report what no longer matches.

    Reads only `recording` and `[original]` of each event.toml, so a mistake elsewhere in
    an event (a clip's ranges, say) does not stop the archive from being checked.
    """
    project_dir = Path(project_dir)
    root = project_dir / RECORDINGS
    if not root.is_dir():
        raise ArchiveError(
            _("no recordings folder"), path=root, hint=_("run `clipper ingest` first")
        )
    checks = []
    for folder in event_folders(root):
        checks.append(verify_event(folder, project_dir))
        transcript = verify_transcript(folder, project_dir)
        if transcript is not None:
            checks.append(transcript)
    return checks


def verify_transcript(folder: Path, project_dir: Path) -> Check | None:
    """Check one event's transcript against the checksum ingest recorded (None: it has none)."""
    path = folder / EVENT_FILE
    try:
        data, _lines = read_event_file(folder)
    except ClipperError:
        return None  # verify_event has reported the event.toml already
    name = data.get("transcript")
    if not isinstance(name, str) or not name.strip():
        return None
    original = read_original(data.get("original"), path)
    places = named_places(name, folder, project_dir)
    transcript = next((p for p in places if p.is_file()), places[0])
    if not transcript.is_file():
        return Check(folder.name, transcript, "missing", _("the transcript is gone"), "transcript")
    recorded = original.transcript_sha256 if original is not None else None
    if recorded is None:
        return Check(
            folder.name, transcript, "unrecorded", _("no checksum recorded"), kind="transcript"
        )
    if sha256_file(transcript) != recorded:
        return Check(
            folder.name,
            transcript,
            "changed",
            _("edited since it was ingested; fine if staff corrected it"),
            kind="transcript",
        )
    return Check(folder.name, transcript, "ok", kind="transcript")


def verify_event(folder: Path, project_dir: Path) -> Check:
    """Check one event folder's original against its recorded size and checksum."""
    path = folder / EVENT_FILE
    if not os.path.lexists(path):
        return Check(folder.name, path, "missing", _("event.toml is gone"))
    data, _lines = read_event_file(folder)
    name = data.get("recording")
    if not isinstance(name, str) or not name.strip():
        raise EventError(_("missing key 'recording'"), path=path, hint=_('recording = "file.mp4"'))
    original = read_original(data.get("original"), path)
    places = named_places(name, folder, project_dir)
    recording = next((p for p in places if p.is_file()), places[0])
    if original is None:
        return Check(
            folder.name,
            recording,
            "unrecorded",
            _("no checksum recorded (`clipper ingest` records one)"),
        )
    if not recording.is_file():
        return Check(folder.name, recording, "missing", _("the recording is gone"))
    size = recording.stat().st_size
    if size != original.size:
        return Check(
            folder.name,
            recording,
            "changed",
            _("{size} bytes, recorded {recorded}").format(size=size, recorded=original.size),
        )
    sha = sha256_file(recording)
    if sha != original.sha256:
        return Check(
            folder.name,
            recording,
            "changed",
            _("SHA-256 is {sha}..., recorded {recorded}...").format(
                sha=sha[:12], recorded=original.sha256[:12]
            ),
        )
    return Check(folder.name, recording, "ok")
