"""Commands on one recording: `probe`, `cut`, and `doctor` (which ffmpeg runs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.common import (
    ALLOW_DAMAGED,
    DETAILS,
    LENIENT,
    PARENTS,
    _progress_bar,
    _warn_line,
    err,
    out,
    reports_errors,
)
from clipper.cutting.modes import MODE_HELP, CutMode
from clipper.i18n import N_, _, ngettext


@reports_errors
def probe(
    file: Annotated[Path, typer.Argument(help=N_("A recording (MP4, WebM, ...)."))],
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("Print JSON instead of text."))
    ] = False,
    allow_damaged: Annotated[bool, ALLOW_DAMAGED] = False,
    details: Annotated[bool, DETAILS] = False,
) -> None:
    """Describe a recording: container, duration, streams, keyframes, web-readiness; decode
    its video to find damage (exit 1 if damaged, unless --allow-damaged)."""
    from clipper.media.damage import check_decodable
    from clipper.media.probe import probe as probe_media
    from clipper.media.report import probe_report, probe_to_dict
    from clipper.media.verdicts import scan_whole

    info = probe_media(file)
    damage = None
    if info.video is not None:
        progress = _progress_bar(err, _("Checking the recording"), info.duration_ms)
        damage = check_decodable(scan_whole(file, progress=progress), allow_damaged=allow_damaged)
        progress(info.duration_ms)
    if as_json:
        data = probe_to_dict(info)
        if damage is not None:
            data["damage"] = damage.to_json()["damages"]
        out.print_json(json.dumps(data))
    else:
        for line in probe_report(info, details=details):
            out.print(line, markup=False)
    if damage is not None and damage.damaged:
        _warn_line(f"{file}: {damage.summary()}")


@reports_errors
def cut(
    source: Annotated[Path, typer.Argument(help=N_("The recording to cut from (never modified)."))],
    output: Annotated[Path, typer.Option("--output", "-o", help=N_("The clip to write (.mp4)."))],
    ranges: Annotated[
        Path | None,
        typer.Option(
            "--ranges",
            "-r",
            help=N_("Ranges file: `START - END  label` or a cue selection per line, or a CSV."),
        ),
    ] = None,
    range_options: Annotated[
        list[str] | None,
        typer.Option(
            "--range",
            metavar=N_("RANGE"),
            help=N_(
                "A range instead of a file, e.g. --range '0:05-0:12,5' or --range '#cue-3' "
                "(repeatable, joined in the order given)."
            ),
        ),
    ] = None,
    subtitles: Annotated[
        Path | None,
        typer.Option(
            "--subtitles",
            "--transcript",
            "-s",
            help=N_(
                "The recording's WebVTT or SRT: writes OUTPUT.vtt too, and lets ranges select cues."
            ),
        ),
    ] = None,
    lenient: Annotated[bool, LENIENT] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Print the plan, cut nothing."))
    ] = False,
    crf: Annotated[
        int | None,
        typer.Option(
            help=N_(
                "x264 quality (lower is better, 18 is near-lossless; default: crf of the "
                "project's [encoding] in clipper.toml, else 18)."
            ),
            show_default=False,
        ),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "x264 speed preset (default: fast; superfast for the short parts a smart "
                "cut re-encodes)."
            ),
            show_default=False,
        ),
    ] = None,
    mode: Annotated[
        CutMode,
        typer.Option(help=MODE_HELP),
    ] = CutMode.auto,
    parents: Annotated[bool, PARENTS] = False,
    allow_damaged: Annotated[bool, ALLOW_DAMAGED] = False,
    details: Annotated[bool, DETAILS] = False,
) -> None:
    """Join the ranges of SOURCE, in the order given, into one clip (frame-accurate unless
    --mode keyframe)."""
    from clipper.cutting.seams import seam_lines
    from clipper.cutting.summary import plain_parts, plain_summary
    from clipper.timecode import format_time
    from clipper.workflows import cut_settings, plan_cut, run_cut

    settings = cut_settings(crf=crf, preset=preset)  # a wrong clipper.toml stops it first
    job = plan_cut(
        source,
        output,
        ranges=ranges,
        range_texts=range_options or [],
        transcript=subtitles,
        mode=mode,
        lenient=lenient,
        warn=_warn_line,
        parents=parents,
        allow_damaged=allow_damaged,
    )
    if job.damage.damaged:
        _warn_line(
            _("{source}: {summary}; the clip shows the damage").format(
                source=source, summary=job.damage.summary()
            )
        )
    plan = job.plan
    if details:  # the engineering view: copied and re-encoded spans, keyframes
        out.print(
            ngettext(
                "Plan for {name} ({count} piece, {mode} cut):",
                "Plan for {name} ({count} pieces, {mode} cut):",
                len(plan.pieces),
            ).format(name=source.name, count=len(plan.pieces), mode=job.plan.mode),
            markup=False,
        )
        for line in job.plan.describe():
            out.print(f"  {line}", markup=False)
        for line in seam_lines(plan):
            out.print(f"  {line}", markup=False)
        notes = job.notes
    else:
        out.print(
            _("Plan for {name}: {summary}").format(name=source.name, summary=plain_summary(plan)),
            markup=False,
        )
        for line in plain_parts(plan):
            out.print(f"  {line}", markup=False)
        notes = [*map(str, job.selection.notes), *plan.frame_plan.notes]
    for note in notes:
        out.print(_("  note: {note}").format(note=note), markup=False)
    if dry_run:
        out.print(
            _("Clip would be {duration_ms} long ({frames} frames).").format(
                duration_ms=format_time(plan.duration_ms), frames=plan.frames
            )
        )
        return
    result = run_cut(
        job,
        settings=settings,
        progress=_progress_bar(out, _("cutting {name}").format(name=output.name), plan.duration_ms),
    )
    if details and result.plan.mode != job.plan.mode:
        out.print(_("  note: {notes}").format(notes=result.plan.notes[-1]), markup=False)
    size_mb = result.video.stat().st_size / 1_000_000
    out.print(
        _("Wrote {video} ({duration_ms}, {frames} frames, {size_mb:.1f} MB)").format(
            video=result.video,
            duration_ms=format_time(plan.duration_ms),
            frames=plan.frames,
            size_mb=size_mb,
        ),
        markup=False,
    )
    if result.subtitles:
        out.print(
            _("Wrote {subtitles} ({cues_count} cues)").format(
                subtitles=result.subtitles, cues_count=len(result.cues)
            ),
            markup=False,
        )


@reports_errors
def doctor() -> None:
    """Show which ffmpeg and libraries clipper uses, and what is missing."""
    from clipper.doctor import run_checks

    checks = run_checks()
    for check in checks:
        mark = _("ok") if check.ok else ("--" if check.optional else _("MISSING"))
        out.print(f"{mark:8} {check.name}: {check.detail}", markup=False)
    if any(not c.ok and not c.optional for c in checks):
        raise typer.Exit(1)
