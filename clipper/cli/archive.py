"""Commands on the archive: `ingest`, `list`, `verify`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clipper.cli.common import (
    ProjectOption,
    RichReporter,
    _likely_speakers,
    _shell_quote,
    err,
    out,
    reports_errors,
)

if TYPE_CHECKING:
    pass


@reports_errors
def ingest(
    recording: Annotated[
        Path, typer.Argument(help="The recording to archive (copied, never moved or changed).")
    ],
    project: ProjectOption = Path("."),
    title: Annotated[
        str | None, typer.Option(help="The event's title (default: the file name).")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="The event's date, YYYY-MM-DD (default: the file's).")
    ] = None,
    slug: Annotated[
        str | None,
        typer.Option(help="Folder name under recordings/ (default: made from the title)."),
    ] = None,
    transcript: Annotated[
        Path | None,
        typer.Option(help="The recording's transcript (WebVTT or SRT), stored beside it."),
    ] = None,
    speaker: Annotated[
        list[str] | None,
        typer.Option(
            "--speaker",
            help="A speaker's name (repeatable): transcript lines starting `NAME:` (as Zoom "
            "writes them) become WebVTT voice spans, so player and transcript name the speaker.",
        ),
    ] = None,
    link: Annotated[
        bool,
        typer.Option(
            "--link", help="Hard-link instead of copying (same drive only; else it copies)."
        ),
    ] = False,
) -> None:
    """Archive a recording in recordings/<slug>/ with its checksum in event.toml."""
    from clipper.archive.ingest import ingest as ingest_recording
    from clipper.archive.ingest import parse_date

    result = ingest_recording(
        recording,
        project,
        title=title,
        date=parse_date(date) if date else None,
        slug=slug,
        transcript=transcript,
        speakers=speaker or [],
        link=link,
        reporter=RichReporter(out),
    )
    if not result.created:
        out.print(
            f"Already in the archive as {result.folder} (same SHA-256); nothing to do.",
            markup=False,
        )
        return
    for note in result.notes:
        out.print(f"note: {note}", markup=False)
    if result.speaker_prefixes and result.transcript is not None:
        found, options = _likely_speakers(result.speaker_prefixes)
        stored = result.transcript
        voiced = stored.with_name(f"{stored.stem}-sprecher.vtt")
        out.print(
            f"{found}; they stay text. "
            f"To mark them as speakers: clipper subtitles convert {_shell_quote(str(stored))} "
            f"{_shell_quote(str(voiced))} {options}, then set "
            f'transcript = "{voiced.name}" in {result.folder / "event.toml"}',
            markup=False,
        )
    how = "Linked" if result.linked else "Copied and verified"
    out.print(
        f"{how}: {result.folder} ({result.size / 1_000_000:.1f} MB, "
        f"SHA-256 {result.sha256[:16]}...). Add clips in {result.folder / 'event.toml'}.",
        markup=False,
    )


@reports_errors
def list_events(project: ProjectOption = Path(".")) -> None:
    """List the events: date, duration, clips, subtitles, published or not."""
    from clipper.archive.catalog import list_events as summarize
    from clipper.timecode import format_time, seconds_to_ms

    events = summarize(project)
    if not events:
        out.print("No events yet; add one with: clipper ingest RECORDING", markup=False)
        return
    out.print(f"{'date':10}  {'duration':>9}  clips  subtitles  published  event", markup=False)
    for e in events:
        duration = (
            format_time(seconds_to_ms(e.duration_s), always_hours=False)
            if e.duration_s is not None
            else "?"
        )
        out.print(
            f"{e.date.isoformat():10}  {duration:>9}  {e.clips:>5}  "
            f"{'yes' if e.subtitles else 'no':9}  {'yes' if e.published else 'no':9}  "
            f"{e.slug}: {e.title}",
            markup=False,
        )


@reports_errors
def verify(project: ProjectOption = Path(".")) -> None:
    """Re-hash every original recording and transcript; exit 1 if a recording changed or
    went missing, or a transcript went missing (an edited transcript is only listed)."""
    from clipper.archive.catalog import verify_archive

    checks = verify_archive(project)
    for check in checks:
        detail = f" ({check.detail})" if check.detail else ""
        out.print(f"{check.status:10} {check.slug}: {check.path}{detail}", markup=False)
    recordings = [c for c in checks if c.kind == "recording"]
    transcripts = [c for c in checks if c.kind == "transcript"]
    failed = [c for c in recordings if c.failed]
    lost = [c for c in transcripts if c.failed]
    if failed or lost:
        if failed:
            err.print(
                f"error: {len(failed)} of {len(recordings)} recording(s) changed or missing; "
                "restore them from a backup",
                markup=False,
            )
        if lost:
            err.print(
                f"error: {len(lost)} transcript(s) missing; restore them from a backup",
                markup=False,
            )
        raise typer.Exit(1)
    unrecorded = sum(1 for c in recordings if c.status == "unrecorded")
    checked = len(recordings) - unrecorded
    extra = f"; {unrecorded} without a recorded checksum" if unrecorded else ""
    out.print(f"All {checked} recording(s) with a checksum are intact{extra}.", markup=False)
    edited = sum(1 for c in transcripts if c.status == "changed")
    if edited:
        out.print(
            f"{edited} transcript(s) were edited since ingest (listed as changed above).",
            markup=False,
        )
