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
    _warn_line,
    err,
    out,
    reports_errors,
)
from clipper.i18n import N_, _

if TYPE_CHECKING:
    pass


@reports_errors
def ingest(
    recording: Annotated[
        Path, typer.Argument(help=N_("The recording to archive (copied, never moved or changed)."))
    ],
    project: ProjectOption = Path("."),
    title: Annotated[
        str | None, typer.Option(help=N_("The event's title (default: the file name)."))
    ] = None,
    date: Annotated[
        str | None, typer.Option(help=N_("The event's date, YYYY-MM-DD (default: the file's)."))
    ] = None,
    slug: Annotated[
        str | None,
        typer.Option(help=N_("Folder name under recordings/ (default: made from the title).")),
    ] = None,
    transcript: Annotated[
        Path | None,
        typer.Option(help=N_("The recording's transcript (WebVTT or SRT), stored beside it.")),
    ] = None,
    speaker: Annotated[
        list[str] | None,
        typer.Option(
            "--speaker",
            help=N_(
                "A speaker's name (repeatable): transcript lines starting `NAME:` (as Zoom "
                "writes them) become WebVTT voice spans, so player and transcript name the speaker."
            ),
        ),
    ] = None,
    link: Annotated[
        bool,
        typer.Option(
            "--link", help=N_("Hard-link instead of copying (same drive only; else it copies).")
        ),
    ] = False,
) -> None:
    """Archive a recording in recordings/<slug>/ with its checksum in event.toml."""
    from clipper.archive.ingest import parse_date
    from clipper.workflows import ingest as ingest_recording

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
            _("Already in the archive as {folder} (same SHA-256); nothing to do.").format(
                folder=result.folder
            ),
            markup=False,
        )
        return
    for note in result.notes:
        out.print(_("note: {note}").format(note=note), markup=False)
    if result.damage is not None and result.damage.damaged:
        _warn_line(
            _(
                "{source}: {summary}; archived as it is "
                "(publish refuses it without --allow-damaged)"
            ).format(source=recording, summary=result.damage.summary())
        )
    if result.speaker_prefixes and result.transcript is not None:
        found, options = _likely_speakers(result.speaker_prefixes)
        stored = result.transcript
        voiced = stored.with_name(f"{stored.stem}-sprecher.vtt")
        out.print(
            _(
                "{found}; they stay text. To mark them as speakers: "
                "clipper subtitles convert {shell_quote} {shell_quote2} "
                '{options}, then set transcript = "{name}" in {value}'
            ).format(
                found=found,
                shell_quote=_shell_quote(str(stored)),
                shell_quote2=_shell_quote(str(voiced)),
                options=options,
                name=voiced.name,
                value=result.folder / "event.toml",
            ),
            markup=False,
        )
    how = _("Linked") if result.linked else _("Copied and verified")
    out.print(
        _("{how}: {folder} ({value:.1f} MB, SHA-256 {sha256}...). Add clips in {value2}.").format(
            how=how,
            folder=result.folder,
            value=result.size / 1_000_000,
            sha256=result.sha256[:16],
            value2=result.folder / "event.toml",
        ),
        markup=False,
    )


@reports_errors
def list_events(project: ProjectOption = Path(".")) -> None:
    """List the events: date, duration, clips, subtitles, published or not."""
    from clipper.archive.catalog import list_events as summarize
    from clipper.timecode import format_time, seconds_to_ms

    events = summarize(project)
    if not events:
        out.print(_("No events yet; add one with: clipper ingest RECORDING"), markup=False)
        return
    # One word per column, as wide as its values or its heading (German headings are longer).
    heads = [_("date"), _("duration"), _("clips"), _("subtitles"), _("published"), _("event")]
    widths = [max(10, len(heads[0])), max(9, len(heads[1]))] + [len(h) for h in heads[2:5]]
    out.print(
        "  ".join(
            [heads[0].ljust(widths[0]), heads[1].rjust(widths[1])]
            + [h for h in heads[2:5]]
            + [heads[5]]
        ),
        markup=False,
    )
    yes, no = _("yes"), _("no")
    for e in events:
        duration = (
            format_time(seconds_to_ms(e.duration_s), always_hours=False)
            if e.duration_s is not None
            else "?"
        )
        cells = [
            e.date.isoformat().ljust(widths[0]),
            duration.rjust(widths[1]),
            str(e.clips).rjust(widths[2]),
            (yes if e.subtitles else no).ljust(widths[3]),
            (yes if e.published else no).ljust(widths[4]),
        ]
        out.print("  ".join([*cells, f"{e.slug}: {e.title}"]), markup=False)


# What `clipper verify` prints for each status of archive/catalog.py's checks.
VERIFY_STATUS = {
    "ok": N_("ok"),
    "changed": N_("changed"),
    "missing": N_("missing"),
    "unrecorded": N_("unrecorded"),
}


@reports_errors
def verify(project: ProjectOption = Path(".")) -> None:
    """Re-hash every original recording and transcript; exit 1 if a recording changed or
    went missing, or a transcript went missing (an edited transcript is only listed)."""
    from clipper.archive.catalog import verify_archive

    checks = verify_archive(project)
    for check in checks:
        detail = f" ({check.detail})" if check.detail else ""
        status = _(VERIFY_STATUS.get(check.status, check.status))
        out.print(f"{status:10} {check.slug}: {check.path}{detail}", markup=False)
    recordings = [c for c in checks if c.kind == "recording"]
    transcripts = [c for c in checks if c.kind == "transcript"]
    failed = [c for c in recordings if c.failed]
    lost = [c for c in transcripts if c.failed]
    if failed or lost:
        if failed:
            err.print(
                _(
                    "error: {failed_count} of {recordings_count} "
                    "recording(s) changed or missing; restore them from a backup"
                ).format(failed_count=len(failed), recordings_count=len(recordings)),
                markup=False,
            )
        if lost:
            err.print(
                _("error: {lost_count} transcript(s) missing; restore them from a backup").format(
                    lost_count=len(lost)
                ),
                markup=False,
            )
        raise typer.Exit(1)
    unrecorded = sum(1 for c in recordings if c.status == "unrecorded")
    checked = len(recordings) - unrecorded
    extra = (
        _("; {unrecorded} without a recorded checksum").format(unrecorded=unrecorded)
        if unrecorded
        else ""
    )
    out.print(
        _("All {checked} recording(s) with a checksum are intact{extra}.").format(
            checked=checked, extra=extra
        ),
        markup=False,
    )
    edited = sum(1 for c in transcripts if c.status == "changed")
    if edited:
        out.print(
            _("{edited} transcript(s) were edited since ingest (listed as changed above).").format(
                edited=edited
            ),
            markup=False,
        )
