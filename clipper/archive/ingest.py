"""Bringing a recording into the archive: `recordings/<slug>/` with a verified copy.

The original is copied (or hard-linked) and never moved or modified. Everything is first
assembled in a hidden folder beside the others and renamed into place only when the copy
has been verified and `event.toml` written, so an interrupted ingest leaves no event behind
that looks complete but is not.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clipper.archive.event_template import ingest_header, page_placeholders
from clipper.archive.eventfile import EVENT_FILE, RECORDINGS, event_folders, read_event_file
from clipper.archive.eventfile import event_toml as event_file_text
from clipper.archive.original import original_table
from clipper.archive.protect import check_ingest
from clipper.archive.slugs import SLUG_HINT, slug_problem, slugify
from clipper.errors import ArchiveError, EventError
from clipper.files.atomic import atomic_write_text
from clipper.files.checksums import copy_hashed, fsync_dir, sha256_file
from clipper.files.lock import pid_alive, project_lock
from clipper.files.toml import control_character
from clipper.i18n import _
from clipper.media.damage import DamageReport, require_decodable_frame
from clipper.media.probe import MediaInfo, probe
from clipper.progress import Reporter, SilentReporter
from clipper.subtitles.convert import check_speaker_name, mark_speakers, speaker_prefixes
from clipper.subtitles.model import Track
from clipper.subtitles.problems import settle
from clipper.subtitles.read import parse_subtitles
from clipper.subtitles.vtt import format_vtt

STAGING_PREFIX = ".ingest-"


@dataclass(frozen=True)
class IngestResult:
    folder: Path
    sha256: str
    size: int
    created: bool  # False: this recording was already in the archive; nothing was written
    linked: bool = False
    notes: list[str] = field(default_factory=list)
    transcript: Path | None = None  # the stored transcript
    speaker_prefixes: list[str] = field(default_factory=list)  # `Name:` left as text (Zoom)
    damage: DamageReport | None = None  # what decoding the archived copy whole found


def check_slug(slug: str) -> str:
    """Refuse event names that could escape `recordings/` or hide from listings."""
    problem = slug_problem(slug)
    if problem is not None:
        raise ArchiveError(
            _("the event name {slug!r} {problem}").format(slug=slug, problem=problem),
            hint=_(SLUG_HINT),
        )
    return slug


def check_names(recording: Path, transcript: Path | None, title: str | None) -> None:
    """Refuse, before anything is written, what event.toml could not hold: a control
    character in the title or in a file name it keeps (the TOML loader refuses them, and
    on a terminal they are escape sequences). Only tab and newline are let through."""
    for path in [p for p in (recording, transcript) if p is not None]:
        ch = control_character(path.name, allowed="\t\n")
        if ch is not None:
            raise ArchiveError(
                _("the file name contains the control character U+{ord:04X}").format(ord=ord(ch)),
                path=path,
                hint=_("rename the file"),
            )
    ch = control_character(title, allowed="\t\n") if title is not None else None
    if ch is not None:
        raise ArchiveError(
            _("--title contains the control character U+{ord:04X}").format(ord=ord(ch)),
            hint=_("remove it"),
        )


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ArchiveError(
            _("the date {text!r} is not a date").format(text=text),
            hint=_("write it as YYYY-MM-DD, e.g. 2024-05-17"),
        ) from None


def recorded_originals(root: Path) -> dict[Path, tuple[str, int]]:
    """Checksum and size recorded in each event folder's `[original]` (events without: left out)."""
    found: dict[Path, tuple[str, int]] = {}
    if not root.is_dir():
        return found
    for folder in event_folders(root):
        try:
            data, _lines = read_event_file(folder)
        except EventError:
            continue
        original = data.get("original")
        if isinstance(original, dict):
            sha, size = original.get("sha256"), original.get("size")
            if isinstance(sha, str) and isinstance(size, int):
                found[folder] = (sha, size)
    return found


def ingest(
    recording: Path,
    project_dir: Path,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    slug: str | None = None,
    transcript: Path | None = None,
    speakers: Sequence[str] = (),
    link: bool = False,
    reporter: Reporter | None = None,
) -> IngestResult:
    """Copy (or hard-link) `recording` into `recordings/<slug>/` and describe it in event.toml.

    `speakers`: names whose `Name: ` line prefixes in the transcript become voice spans
    (as `clipper subtitles convert --speaker` does); the transcript is then stored as WebVTT.
    """
    reporter = reporter or SilentReporter()
    recording, project_dir = Path(recording), Path(project_dir)
    notes: list[str] = []
    if title is not None and not title.strip():
        raise ArchiveError(_("the title is empty"), hint=_('give one, e.g. --title "Ratssitzung"'))
    check_names(recording, transcript, title)
    if title is None:
        title = recording.stem
        notes.append(
            _("title taken from the file name: {title!r} (change it in {EVENT_FILE})").format(
                title=title, EVENT_FILE=EVENT_FILE
            )
        )
    slug = check_slug(slug if slug is not None else slugify(title))
    check_ingest(project_dir)
    info = probe(recording, scan_keyframes=False)  # refuses missing and non-media files
    info.require_video()  # an audio-only file could never be published
    require_decodable_frame(recording)
    date_confirmed = date is not None  # a file's time may be the day it was copied
    if date is None:
        date = dt.datetime.fromtimestamp(recording.stat().st_mtime).date()
        notes.append(
            _("date taken from the file's modification time: {date} (check it)").format(date=date)
        )
    as_vtt: Track | None = None  # the transcript to store as clipper's WebVTT, if not as is
    prefixes: list[str] = []
    if transcript is None and speakers:
        raise ArchiveError(_("--speaker needs --transcript"), hint=_("give the transcript too"))
    for name in speakers:
        check_speaker_name(name)
    if transcript is not None:
        # a broken transcript is refused before anything is copied
        parsed = parse_subtitles(transcript)
        track = settle(parsed, transcript, lenient=False, warn=notes.append)
        if parsed.kind != "WebVTT, UTF-8":
            as_vtt = track
            notes.append(
                _("the transcript ({kind}) is stored as WebVTT in UTF-8").format(kind=parsed.kind)
            )
        if speakers:
            as_vtt, missing = mark_speakers(track, speakers)
            found = [n for n in speakers if n not in missing]
            if found:
                notes.append(_("speakers marked: {join}").format(join=", ".join(found)))
            notes += [
                _("no line of the transcript starts with {prefix!r}").format(prefix=n + ":")
                for n in missing
            ]
        else:
            prefixes = speaker_prefixes(track)
    root = project_dir / RECORDINGS
    root.mkdir(parents=True, exist_ok=True)
    with project_lock(project_dir, "clipper ingest"):
        _remove_leftovers(root)
        known = recorded_originals(root)
        target = root / slug
        same = _same_recording(recording, info.size_bytes, known, target, reporter)
        if same is not None:
            folder, sha = same
            return IngestResult(folder=folder, sha256=sha, size=info.size_bytes, created=False)
        if target.exists():
            if target in known:
                problem = _("an event with this name already exists and holds another recording")
            else:
                problem = _("an event with this name already exists (made by hand, no checksum)")
            raise ArchiveError(problem, path=target, hint=_("choose another --slug (or --title)"))
        staging = root / f"{STAGING_PREFIX}{slug}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            sha, linked = _bring_in(recording, staging / recording.name, link, notes, reporter)
            transcript_name = transcript_sha = None
            if transcript is not None:
                transcript_name = _copy_transcript(transcript, staging, recording.name, as_vtt)
                transcript_sha = sha256_file(staging / transcript_name)
            text = event_toml(
                title=title,
                date=date,
                recording=recording.name,
                transcript=transcript_name,
                sha256=sha,
                info=info,
                transcript_sha256=transcript_sha,
                slug=slug,
                date_confirmed=date_confirmed,
            )
            atomic_write_text(staging / EVENT_FILE, text)
            fsync_dir(staging)
            os.rename(staging, target)
            fsync_dir(root)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return IngestResult(
        folder=target,
        sha256=sha,
        size=info.size_bytes,
        created=True,
        linked=linked,
        notes=notes,
        transcript=target / transcript_name if transcript_name else None,
        speaker_prefixes=prefixes,
    )


def _remove_leftovers(root: Path) -> None:
    """Hidden staging folders of ingests that were killed (their process is gone)."""
    for folder in root.glob(f"{STAGING_PREFIX}*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _same_recording(
    recording: Path,
    size: int,
    known: dict[Path, tuple[str, int]],
    target: Path,
    reporter: Reporter,
) -> tuple[Path, str] | None:
    """The event already holding exactly these bytes, if any (hashes only when sizes match)."""
    candidates = [folder for folder, (_sha, known_size) in known.items() if known_size == size]
    if not candidates:
        return None
    sha = sha256_file(recording, reporter.media(_("comparing with the archive"), size))
    matches = [folder for folder in candidates if known[folder][0] == sha]
    if not matches:
        return None
    return (target if target in matches else matches[0]), sha


def _bring_in(
    source: Path, dest: Path, link: bool, notes: list[str], reporter: Reporter
) -> tuple[str, bool]:
    """Hard-link or copy `source` to `dest`; return its SHA-256, verified on the copy."""
    before = source.stat()
    size = before.st_size
    if link:
        try:
            os.link(source, dest)
        except OSError as exc:
            notes.append(
                _("could not hard-link ({value}); copied instead").format(value=exc.strerror or exc)
            )
        else:
            return sha256_file(dest, reporter.media(_("checksum"), size)), True
    sha = copy_hashed(
        source, dest, reporter.media(_("copying {name}").format(name=source.name), size)
    )
    after = source.stat()
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        raise ArchiveError(
            _("the recording changed while it was being copied"),
            path=source,
            hint=_("wait until the recording software has finished writing it, then try again"),
        )
    if sha256_file(dest, reporter.media(_("checking the copy"), size)) != sha:
        raise ArchiveError(
            _("the copy in the archive differs from the original (a disk or memory fault?)"),
            path=dest,
            hint=_("check the disk, then ingest again"),
        )
    return sha, False


def _copy_transcript(
    transcript: Path, staging: Path, recording_name: str, as_vtt: Track | None
) -> str:
    """Copy the transcript beside the recording (or write `as_vtt`, the converted one)."""
    name = transcript.name if as_vtt is None else f"{transcript.stem}.vtt"
    if name in (recording_name, EVENT_FILE):
        name = f"transkript{'.vtt' if as_vtt is not None else transcript.suffix or '.vtt'}"
    if as_vtt is not None:
        atomic_write_text(staging / name, format_vtt(as_vtt))
        return name
    sha = copy_hashed(transcript, staging / name)
    if sha256_file(staging / name) != sha:
        raise ArchiveError(
            _("the copy of the transcript differs from the original"), path=transcript
        )
    return name


def event_toml(
    *,
    title: str,
    date: dt.date,
    recording: str,
    transcript: str | None,
    sha256: str,
    info: MediaInfo,
    now: dt.datetime | None = None,
    transcript_sha256: str | None = None,
    slug: str | None = None,
    date_confirmed: bool = True,
) -> str:
    """The event.toml of a freshly ingested recording: the page's keys as commented
    placeholders above `[original]` (clipper/archive/event_template.py), for staff to fill."""
    return event_file_text(
        header=ingest_header(),
        title=title,
        date=date,
        date_confirmed=date_confirmed,
        recording=recording,
        transcript=transcript,
        comment=page_placeholders(slug, transcript),
        original=original_table(sha256, info, now, transcript_sha256=transcript_sha256),
    )
