"""The `clipper` command line: parse arguments, call one library function, report.

Library errors (ClipperError) become one line on stderr and exit code 1; no traceback
unless CLIPPER_DEBUG=1. Long media work shows a progress bar.
"""

from __future__ import annotations

import enum
import errno
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from clipper import __version__
from clipper.errors import ClipperError
from clipper.media import children
from clipper.media.ffmpeg import ProgressCallback

if TYPE_CHECKING:
    from clipper.cutting.plan import CutPlan
    from clipper.ranges.selection import Selection
    from clipper.subtitles.vtt import Track

app = typer.Typer(
    help="Cut, subtitle and publish recorded video conferences.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _shown(text: str) -> str:
    """`text` safe to print on a terminal: control characters (ESC, BEL, C1, DEL ...) from
    file names, titles or cue text appear as `\\x1b`-style text instead of acting."""
    return "".join(
        ch
        if ch in "\t\n" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F)
        else f"\\x{ord(ch):02x}"
        for ch in text
    )


class SafeConsole(Console):
    """A Console whose plain-text output never carries raw control characters."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(_shown(o) if isinstance(o, str) else o for o in objects), **kwargs)


out = SafeConsole(highlight=False, soft_wrap=True)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn library errors into one clear line and a non-zero exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except ClipperError as exc:
            _fail(f"error: {exc}", exc)
        except KeyboardInterrupt as exc:  # Ctrl+C, or SIGTERM/SIGHUP as children.Cancelled
            children.stop_all()
            _stop_bars()
            err.print(children.CANCELLED_MESSAGE, markup=False)
            code = exc.exit_code if isinstance(exc, children.Cancelled) else 130
            raise typer.Exit(code) from None
        except BrokenPipeError:
            # The reader went away (`clipper transcript FILE | head`): stop quietly, as Unix
            # tools do, and keep Python from complaining when it flushes stdout at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                _fail(f"error: the disk is full ({exc.filename or 'while writing'})", exc)
            name = f"{exc.filename}: " if exc.filename else ""
            _fail(f"error: {name}{exc.strerror or exc}", exc)
        except Exception as exc:
            _fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(please report it; CLIPPER_DEBUG=1 shows details)",
                exc,
            )

    return wrapper  # type: ignore[return-value]


def _fail(message: str, exc: BaseException) -> None:
    if os.environ.get("CLIPPER_DEBUG"):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    err.print(_shown(message), markup=False, soft_wrap=True)
    raise typer.Exit(1)


class RichReporter:
    """Progress on the terminal: a line per stage, a bar per ffmpeg run."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def step(self, message: str) -> None:
        self.console.print(f"• {message}", markup=False)

    def media(self, label: str, total_ms: int) -> ProgressCallback:
        return _progress_bar(self.console, label, total_ms)


def _progress_bar(console: Console, label: str, total_ms: int) -> ProgressCallback:
    """A callback that draws a bar; it closes itself when ffmpeg reaches the end."""
    progress = Progress(
        TextColumn("  {task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task(label, total=max(total_ms, 1))
    started = False

    def update(done_ms: int) -> None:
        nonlocal started
        if not started:
            progress.start()
            _bars.append(progress)
            started = True
        progress.update(task, completed=min(done_ms, total_ms))
        if done_ms >= total_ms:
            progress.stop()

    return update


_bars: list[Progress] = []


def _stop_bars() -> None:
    """End the bars a cancelled run left drawn (and their refresh threads)."""
    while _bars:
        _bars.pop().stop()


class CutMode(enum.StrEnum):
    """How `clipper cut` makes the clip (see the README, "How a cut is made")."""

    auto = "auto"
    smart = "smart"
    accurate = "accurate"
    keyframe = "keyframe"


ALLOW_DAMAGED = typer.Option(
    "--allow-damaged",
    help="Use a recording whose video is damaged in places, with a warning naming them "
    "(default: refuse it). A recording without any decodable frame is always refused.",
)

LENIENT = typer.Option(
    "--lenient",
    help="Keep the readable cues of a subtitle file that has broken ones, with a warning for "
    "each skipped cue (default: refuse the file, naming the line).",
)


def _warn_line(message: str) -> None:
    """A warning on stderr, printed as is (cue text may hold [brackets] or :colons:)."""
    typer.echo(_shown(f"warning: {message}"), err=True)


PARENTS = typer.Option(
    "--parents", help="Create the output's folder if it does not exist (default: refuse)."
)

ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        "-p",
        help="Project folder (holds recordings/ and transcripts/).",
        file_okay=False,
    ),
]


@app.command()
@reports_errors
def probe(
    file: Annotated[Path, typer.Argument(help="A recording (MP4, WebM, ...).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    allow_damaged: Annotated[bool, ALLOW_DAMAGED] = False,
) -> None:
    """Describe a recording: container, duration, streams, keyframes, web-readiness; decode
    its video to find damage (exit 1 if damaged, unless --allow-damaged)."""
    from clipper.media.damage import check_decodable, scan_damage
    from clipper.media.probe import probe as probe_media
    from clipper.media.report import probe_report, probe_to_dict

    info = probe_media(file)
    damage = None
    if info.video is not None:
        progress = _progress_bar(err, "Aufzeichnung wird geprüft", info.duration_ms)
        damage = check_decodable(scan_damage(file, progress=progress), allow_damaged=allow_damaged)
        progress(info.duration_ms)
    if as_json:
        data = probe_to_dict(info)
        if damage is not None:
            data["damage"] = damage.to_json()["damages"]
        out.print_json(json.dumps(data))
    else:
        for line in probe_report(info):
            out.print(line, markup=False)
    if damage is not None and damage.damaged:
        _warn_line(f"{file}: {damage.summary()}")


@app.command()
@reports_errors
def cut(
    source: Annotated[Path, typer.Argument(help="The recording to cut from (never modified).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The clip to write (.mp4).")],
    ranges: Annotated[
        Path | None,
        typer.Option(
            "--ranges",
            "-r",
            help="Ranges file: `START - END  label` or a cue selection per line, or a CSV.",
        ),
    ] = None,
    range_options: Annotated[
        list[str] | None,
        typer.Option(
            "--range",
            metavar="RANGE",
            help="A range instead of a file, e.g. --range '0:05-0:12,5' or --range '#cue-3' "
            "(repeatable, joined in the order given).",
        ),
    ] = None,
    subtitles: Annotated[
        Path | None,
        typer.Option(
            "--subtitles",
            "--transcript",
            "-s",
            help="The recording's WebVTT or SRT: writes OUTPUT.vtt too, and lets ranges select "
            "cues.",
        ),
    ] = None,
    lenient: Annotated[bool, LENIENT] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan, cut nothing.")
    ] = False,
    crf: Annotated[
        int, typer.Option(help="x264 quality (lower is better, 18 is near-lossless).")
    ] = 18,
    preset: Annotated[
        str | None,
        typer.Option(
            help="x264 speed preset (default: fast; superfast for the short parts a smart "
            "cut re-encodes).",
            show_default=False,
        ),
    ] = None,
    mode: Annotated[
        CutMode,
        typer.Option(
            help="auto: smart when that is exact, else accurate. smart: copy whole GOPs, "
            "re-encode only from each cut to the next keyframe. accurate: re-encode all. "
            "keyframe: copy only, cut at the nearest keyframes (not frame-accurate).",
        ),
    ] = CutMode.auto,
    parents: Annotated[bool, PARENTS] = False,
    allow_damaged: Annotated[bool, ALLOW_DAMAGED] = False,
) -> None:
    """Join the ranges of SOURCE, in the order given, into one clip (frame-accurate unless
    --mode keyframe)."""
    from clipper.cutting.clip import check_output, make_clip, plan_mode
    from clipper.cutting.execute import EncodeSettings
    from clipper.files.guard import check_clip_output
    from clipper.media.damage import check_decodable, scan_damage
    from clipper.timecode import format_time

    check_output(source, output)
    check_clip_output(output, source=source, ranges=ranges, subtitles=subtitles, parents=parents)
    # --- issue 3: choosing what goes into the clip (ranges file, --range, cue selections)
    ranges_source, selection, transcript = _choose_ranges(
        ranges, range_options, subtitles, source, lenient=lenient
    )
    wanted = selection.ranges
    # --- end issue 3
    smart = plan_mode(source, wanted, mode=mode.value, ranges_source=ranges_source)
    plan = smart.cut
    # Only the spans the clip uses are decoded: the cost grows with the clip, not the source.
    spans = [(piece.start, piece.end) for piece in plan.pieces]
    damage = check_decodable(scan_damage(source, spans), allow_damaged=allow_damaged)
    if damage.damaged:
        _warn_line(f"{source}: {damage.summary()}; the clip shows the damage")
    out.print(
        f"Plan for {source.name} ({len(plan.pieces)} pieces, {smart.mode} cut):", markup=False
    )
    for line in smart.describe():
        out.print(f"  {line}", markup=False)
    for note in [*selection.notes, *smart.notes]:
        out.print(f"  note: {note}", markup=False)
    if dry_run:
        out.print(f"Clip would be {format_time(plan.duration_ms)} long ({plan.frames} frames).")
        return
    result = make_clip(
        source,
        wanted,
        output,
        transcript=transcript,
        ranges_source=ranges_source,
        settings=EncodeSettings(
            preset=preset or "fast", crf=crf, parts_preset=preset or "superfast"
        ),
        progress=_progress_bar(out, f"cutting {output.name}", plan.duration_ms),
        planned=smart,
    )
    if result.smart is not None and result.smart.mode != smart.mode:
        out.print(f"  note: {result.smart.notes[-1]}", markup=False)
    size_mb = result.video.stat().st_size / 1_000_000
    out.print(
        f"Wrote {result.video} ({format_time(plan.duration_ms)}, {plan.frames} frames, "
        f"{size_mb:.1f} MB)",
        markup=False,
    )
    if result.subtitles:
        out.print(f"Wrote {result.subtitles} ({len(result.cues)} cues)", markup=False)


# --- issue 3: choosing what goes into the clip -------------------------------------------

ranges_app = typer.Typer(
    help="Check ranges lists before cutting.", no_args_is_help=True, add_completion=False
)
app.add_typer(ranges_app, name="ranges")


def _choose_ranges(
    ranges: Path | None,
    options: list[str] | None,
    transcript_file: Path | None,
    source: Path,
    *,
    lenient: bool = False,
) -> tuple[Path | str, Selection, Track | None]:
    """The cut's ranges from --ranges or --range, resolved against transcript and source."""
    from clipper.ranges.grammar import specs_from
    from clipper.ranges.selection import resolve_for_recording
    from clipper.subtitles import read_subtitles

    specs, ranges_source = specs_from(ranges, options or [])
    transcript = (
        read_subtitles(transcript_file, lenient=lenient, warn=_warn_line)
        if transcript_file
        else None
    )
    cues = transcript.cues if transcript else None
    selection = resolve_for_recording(specs, source=ranges_source, cues=cues, recording=source)
    return ranges_source, selection, transcript


@ranges_app.command("check")
@reports_errors
def ranges_check(
    file: Annotated[
        Path,
        typer.Argument(
            help="A ranges file (or CSV), or an event (its folder or event.toml): then every "
            "clip is checked against the event's transcript and recording."
        ),
    ],
    transcript: Annotated[
        Path | None,
        typer.Option(
            "--transcript", "-s", help="The recording's WebVTT or SRT, for cue selections."
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option("--source", help="The recording: its frame rate and length are checked too."),
    ] = None,
    lenient: Annotated[bool, LENIENT] = False,
) -> None:
    """Show the resolved ranges, their total length and any problem, without cutting."""
    from clipper.cutting.clip import plan_clip
    from clipper.ranges.grammar import read_specs
    from clipper.ranges.selection import event_folder, resolve_event_clips, resolve_for_recording
    from clipper.subtitles import read_subtitles

    folder = event_folder(file)
    if folder is not None:
        if transcript is not None or source is not None:
            raise ClipperError(
                "an event brings its own transcript and recording",
                path=file,
                hint="leave out --transcript and --source, or give a ranges file",
            )
        recording, clips = resolve_event_clips(folder, lenient=lenient, warn=_warn_line)
        for number, (clip, selection) in enumerate(clips):
            where = Path(clip.ranges_source).name if isinstance(clip.ranges_source, Path) else ""
            heading = f"Clip „{clip.title}“" + (f" ({where})" if where else "") + ":"
            out.print(("\n" if number else "") + heading, markup=False)
            clip_plan = plan_clip(recording, selection.ranges, ranges_source=clip.ranges_source)
            _print_selection(selection, clip_plan)
        return
    track = read_subtitles(transcript, lenient=lenient, warn=_warn_line) if transcript else None
    selection = resolve_for_recording(
        read_specs(file), source=file, cues=track.cues if track else None, recording=source
    )
    # What `cut` will make of it: each range snapped to whole frames (and refused if that
    # leaves nothing), so the check and the clip agree to the frame.
    plan = plan_clip(source, selection.ranges, ranges_source=file) if source else None
    _print_selection(selection, plan)


def _print_selection(selection: Selection, plan: CutPlan | None) -> None:
    from clipper.ranges.selection import describe
    from clipper.timecode import format_time

    for line in describe(selection):
        out.print(line, markup=False)
    if plan is not None:
        out.print(
            f"Clip: {format_time(plan.duration_ms)} ({plan.frames} frames), each range cut at "
            "the nearest frames",
            markup=False,
        )
    for note in selection.notes:
        out.print(f"note: {note}", markup=False)


@app.command("transcript")
@reports_errors
def transcript_list(
    file: Annotated[Path, typer.Argument(help="A transcript (WebVTT or SRT).")],
    start: Annotated[
        str | None, typer.Option("--from", help="Only cues from this time on (e.g. 1:30).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Only cues before this time.")] = None,
    grep: Annotated[
        str | None,
        typer.Option("--grep", "-g", help="Only cues containing this text (any case)."),
    ] = None,
) -> None:
    """Print the cues with times, ids and speakers, to find what to put in a ranges file."""
    from rich.text import Text

    from clipper.ranges.cuelist import list_cues, parse_bound
    from clipper.subtitles import read_subtitles

    # Only viewing: list the readable cues and warn about the others.
    lines = list_cues(
        read_subtitles(file, lenient=True, warn=_warn_line).cues,
        start_ms=parse_bound(start, "--from"),
        end_ms=parse_bound(end, "--to"),
        grep=grep,
    )
    if not lines:
        what = f"contains {grep!r}" if grep else "is in that time span"
        raise ClipperError(f"no cue {what}", path=file)
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


# --- end issue 3 --------------------------------------------------------------------------


@app.command()
@reports_errors
def publish(
    project: ProjectOption = Path("."),
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where to write the site (default: site/).")
    ] = None,
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for another publish in this project.")
    ] = 10.0,
    portable: Annotated[
        bool,
        typer.Option(
            "--portable",
            help="Embed caption tracks in the pages, so captions also show when the site "
            "is opened from disk (file://).",
        ),
    ] = False,
    lenient: Annotated[bool, LENIENT] = False,
    parents: Annotated[bool, PARENTS] = False,
    allow_damaged: Annotated[bool, ALLOW_DAMAGED] = False,
) -> None:
    """Build the static site from recordings/ and clipper.toml (only what changed is remade)."""
    from clipper.site.build import publish as publish_site

    result = publish_site(
        project,
        out_dir,
        reporter=RichReporter(out),
        lock_wait=wait,
        portable=portable,
        lenient=lenient,
        parents=parents,
        allow_damaged=allow_damaged,
    )
    for warning in result.warnings:
        _warn_line(warning)
    for note in result.recovered:
        out.print(f"note: an earlier run was interrupted; {note}", markup=False)
    if result.made == 0:
        out.print(
            f"Nothing changed: no media work needed ({result.reused} file(s) from the cache).",
            markup=False,
        )
    else:
        out.print(
            f"Made {result.made} media file(s), reused {result.reused} from the cache.",
            markup=False,
        )
    out.print(
        f"Published {len(result.pages)} event(s) to {result.out_dir}. "
        f"View it with: clipper serve --site {result.out_dir}",
        markup=False,
    )


@app.command()
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


@app.command("list")
@reports_errors
def list_events(project: ProjectOption = Path(".")) -> None:
    """List the events: date, duration, clips, subtitles, published or not."""
    from clipper.archive.catalog import list_events as summarize
    from clipper.timecode import format_time

    events = summarize(project)
    if not events:
        out.print("No events yet; add one with: clipper ingest RECORDING", markup=False)
        return
    out.print(f"{'date':10}  {'duration':>9}  clips  subtitles  published  event", markup=False)
    for e in events:
        duration = (
            format_time(round(e.duration_s * 1000), always_hours=False)
            if e.duration_s is not None
            else "?"
        )
        out.print(
            f"{e.date.isoformat():10}  {duration:>9}  {e.clips:>5}  "
            f"{'yes' if e.subtitles else 'no':9}  {'yes' if e.published else 'no':9}  "
            f"{e.slug}: {e.title}",
            markup=False,
        )


@app.command()
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


@app.command()
@reports_errors
def serve(
    site: Annotated[Path, typer.Option(help="The published site folder.")] = Path("site"),
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000,
) -> None:
    """Serve the site on 127.0.0.1 with byte ranges, so seeking in videos works."""
    from clipper.site.server import serve as serve_site

    serve_site(
        site,
        port=port,
        ready=lambda url: out.print(f"Serving {site} at {url} (Ctrl+C stops)", markup=False),
    )


@app.command()
@reports_errors
def demo(project: ProjectOption = Path(".")) -> None:
    """Create the demo event (a generated video call) and publish the site."""
    from clipper.demo import create_demo_event
    from clipper.site.build import publish as publish_site

    reporter = RichReporter(out)
    folder = create_demo_event(project, reporter=reporter)
    out.print(f"Demo event written to {folder}", markup=False)
    result = publish_site(project, reporter=reporter)
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    out.print(
        f"Published to {result.out_dir}. View it with:\n  clipper serve --site {result.out_dir}\n"
        "then open http://127.0.0.1:8000/ in a browser.",
        markup=False,
    )


@app.command()
@reports_errors
def doctor() -> None:
    """Show which ffmpeg and libraries clipper uses, and what is missing."""
    from clipper.doctor import run_checks

    checks = run_checks()
    for check in checks:
        mark = "ok " if check.ok else ("-- " if check.optional else "MISSING")
        out.print(f"{mark:8}{check.name}: {check.detail}", markup=False)
    if any(not c.ok and not c.optional for c in checks):
        raise typer.Exit(1)


# --- clipper subtitles: check and convert (kept in one block; logic in clipper/subtitles) ---
subtitles_app = typer.Typer(
    help="Check and convert subtitle files (WebVTT and SRT).", no_args_is_help=True
)
app.add_typer(subtitles_app, name="subtitles")


@subtitles_app.command("check")
@reports_errors
def subtitles_check(
    file: Annotated[Path, typer.Argument(help="A WebVTT or SRT file.")],
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"cues": [{id, start_ms, end_ms, text}]}.')
    ] = False,
    lenient: Annotated[bool, LENIENT] = False,
) -> None:
    """Validate a subtitle file and list its cues; a broken cue is an error naming its line."""
    from clipper.subtitles.check import check_subtitles, cue_lines, cues_json, summary

    checked = check_subtitles(file, lenient=lenient, warn=_warn_line)
    if as_json:
        typer.echo(json.dumps(cues_json(checked.track), ensure_ascii=False, indent=2))
        return
    for line in cue_lines(checked.track):
        typer.echo(_shown(line))
    typer.echo(_shown(summary(checked, file)))
    if checked.speaker_prefixes:
        found, options = _likely_speakers(checked.speaker_prefixes)
        typer.echo(
            f"{found}; to mark them as speakers, give {options} to clipper ingest or clipper "
            "subtitles convert",
            err=True,
        )


@subtitles_app.command("convert")
@reports_errors
def subtitles_convert(
    source: Annotated[Path, typer.Argument(help="A WebVTT or SRT file (never changed).")],
    target: Annotated[Path, typer.Argument(help="The file to write: .vtt or .srt.")],
    lenient: Annotated[bool, LENIENT] = False,
    speaker: Annotated[
        list[str] | None,
        typer.Option(
            "--speaker",
            help="A speaker's name (repeatable): lines starting `NAME:` become WebVTT voice "
            "spans, so the player and the transcript name the speaker.",
        ),
    ] = None,
) -> None:
    """Convert between SRT and WebVTT (by OUT's suffix), keeping speakers and styling."""
    from clipper.files.guard import check_subtitles_target
    from clipper.subtitles.convert import convert_subtitles

    check_subtitles_target(target, source=source)
    speakers = speaker or []
    result = convert_subtitles(source, target, lenient=lenient, warn=_warn_line, speakers=speakers)
    for dropped in result.dropped:
        typer.echo(_shown(f"note: {result.format} cannot hold {dropped}; left out"), err=True)
    if result.speaker_prefixes:
        found, options = _likely_speakers(result.speaker_prefixes)
        typer.echo(
            f"{found}; to mark them as speakers, convert again with {options}",
            err=True,
        )
    for name in result.speakers_not_found:
        typer.echo(
            _shown(f"note: no line starts with {name + ':'!r}; check the spelling"), err=True
        )
    typer.echo(_shown(f"Wrote {result.output} ({result.format}, {result.cues} cues)"))


def _likely_speakers(prefixes: list[str]) -> tuple[str, str]:
    """The start of the note on `Name:` prefixes that look like speakers (the four most
    frequent), and the `--speaker` options that would mark them."""
    names = prefixes[:4]
    options = " ".join(f"--speaker {_shell_quote(n)}" for n in names)
    return f"note: lines start with names and a colon ({', '.join(names)})", options


def _shell_quote(text: str) -> str:
    """`text` as one word in the commands we suggest: double quotes work in sh, cmd.exe and
    PowerShell alike (names with quotes or `$` are not expected)."""
    return text if text.replace("-", "").replace(".", "").isalnum() else f'"{text}"'


def version_callback(value: bool) -> None:
    if value:
        out.print(f"clipper {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """clipper: cut, subtitle and publish recorded video conferences."""


def main() -> None:
    children.cancel_on_signals()
    try:
        app()
    finally:
        children.stop_all()
