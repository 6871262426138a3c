"""Commands that choose what goes into a clip: `ranges check` and `transcript`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clipper.cli.common import (
    DETAILS,
    LENIENT,
    _shell_quote,
    _shown,
    _warn_line,
    out,
    reports_errors,
)
from clipper.errors import ClipperError
from clipper.i18n import N_, _

if TYPE_CHECKING:
    from clipper.cutting.plan import FramePlan
    from clipper.ranges.selection import Selection


ranges_app = typer.Typer(
    help=N_("Check ranges lists before cutting."), no_args_is_help=True, add_completion=False
)


@ranges_app.command("check")
@reports_errors
def ranges_check(
    file: Annotated[
        Path,
        typer.Argument(
            help=N_(
                "A ranges file (or CSV), or an event (its folder or event.toml): then every "
                "clip is checked against the event's transcript and recording."
            )
        ),
    ],
    transcript: Annotated[
        Path | None,
        typer.Option(
            "--transcript", "-s", help=N_("The recording's WebVTT or SRT, for cue selections.")
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source", help=N_("The recording: its frame rate and length are checked too.")
        ),
    ] = None,
    lenient: Annotated[bool, LENIENT] = False,
    details: Annotated[bool, DETAILS] = False,
) -> None:
    """Show the resolved ranges, their total length and any problem, without cutting."""
    from clipper.archive.clips import event_folder, resolve_event_clips
    from clipper.cutting.clip import plan_clip
    from clipper.ranges.read import read_specs
    from clipper.ranges.selection import resolve_for_recording
    from clipper.subtitles import read_subtitles

    folder = event_folder(file)
    if folder is not None:
        if transcript is not None or source is not None:
            raise ClipperError(
                _("an event brings its own transcript and recording"),
                path=file,
                hint=_("leave out --transcript and --source, or give a ranges file"),
            )
        recording, clips = resolve_event_clips(folder, lenient=lenient, warn=_warn_line)
        for number, (clip, selection) in enumerate(clips):
            where = Path(clip.ranges_source).name if isinstance(clip.ranges_source, Path) else ""
            heading = (
                _("Clip „{title}“ ({where}):").format(title=clip.title, where=where)
                if where
                else _("Clip „{title}“:").format(title=clip.title)
            )
            out.print(("\n" if number else "") + heading, markup=False)
            clip_plan = plan_clip(recording, selection.ranges, ranges_source=clip.ranges_source)
            _print_selection(selection, clip_plan, details)
        return
    track = read_subtitles(transcript, lenient=lenient, warn=_warn_line) if transcript else None
    selection = resolve_for_recording(
        read_specs(file),
        source=file,
        cues=track.cues if track else None,
        recording=source,
        transcript_name=_shell_quote(str(transcript)) if transcript else "FILE",
    )
    # What `cut` will make of it: each range snapped to whole frames (and refused if that
    # leaves nothing), so the check and the clip agree to the frame.
    plan = plan_clip(source, selection.ranges, ranges_source=file) if source else None
    _print_selection(selection, plan, details)


def _print_selection(selection: Selection, plan: FramePlan | None, details: bool) -> None:
    from clipper.ranges.selection import describe
    from clipper.timecode import format_time

    for line in describe(selection):
        out.print(line, markup=False)
    if plan is not None:
        text = (
            _("Clip: {duration_ms} ({frames} frames), each range cut at the nearest frames")
            if details
            else _("Clip: {duration_ms}, each range cut at the nearest picture")
        )
        out.print(
            text.format(duration_ms=format_time(plan.duration_ms), frames=plan.frames),
            markup=False,
        )
    for note in selection.notes:
        out.print(_("note: {note}").format(note=note), markup=False)


@reports_errors
def transcript_list(
    file: Annotated[
        Path,
        typer.Argument(help=N_("A transcript (WebVTT or SRT), or an event (its folder or name).")),
    ],
    start: Annotated[
        str | None, typer.Option("--from", help=N_("Only cues from this time on (e.g. 1:30)."))
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help=N_("Only cues before this time."))] = None,
    grep: Annotated[
        str | None,
        typer.Option("--grep", "-g", help=N_("Only cues containing this text (any case).")),
    ] = None,
) -> None:
    """Print the cues with times, ids and speakers, to find what to put in a ranges file."""
    from rich.text import Text

    from clipper.archive.lookup import transcript_named
    from clipper.ranges.cuelist import list_cues, parse_bound
    from clipper.subtitles import read_subtitles

    file = transcript_named(file)
    # Only viewing: list the readable cues and warn about the others.
    lines = list_cues(
        read_subtitles(file, lenient=True, warn=_warn_line).cues,
        start_ms=parse_bound(start, "--from"),
        end_ms=parse_bound(end, "--to"),
        grep=grep,
    )
    if not lines:
        raise ClipperError(
            _("no cue contains {grep!r}").format(grep=grep)
            if grep
            else _("no cue is in that time span"),
            path=file,
        )
    width = max(len(line.ref) for line in lines)
    for line in lines:
        shown = line.format(width)
        if _shown(shown) != shown:  # control characters: shown visibly, without highlights
            out.print(shown, markup=False)
            continue
        offset = len(shown) - len(line.text)
        text = Text(shown)
        for a, b in line.hits:
            text.stylize("bold reverse", offset + a, offset + b)
        out.print(text)
