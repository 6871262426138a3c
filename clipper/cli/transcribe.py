"""`clipper transcribe`: automatic German captions for a recording or an event, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.common import PARENTS, RichReporter, _progress_bar, err, out, reports_errors
from clipper.i18n import N_, _
from clipper.media.ffmpeg import ProgressCallback


class MinutesReporter(RichReporter):
    """Bars that count audio minutes done of the total, with the time still needed."""

    def media(self, label: str, total_ms: int) -> ProgressCallback:
        return _progress_bar(self.console, label, total_ms, shown=_minutes)


def _minutes(done_ms: int, total_ms: int) -> str:
    def text(ms: int) -> str:
        return f"{ms / 60_000:.1f}".replace(".", ",")

    return _("{done} of {total} min").format(done=text(done_ms), total=text(total_ms))


@reports_errors
def transcribe(
    target: Annotated[
        Path,
        typer.Argument(
            help=N_(
                "A recording (writes OUT.vtt), or an event (its folder, event.toml or name): "
                "the transcript becomes the event's transcript."
            )
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=N_(
                "The WebVTT file to write (recordings only; "
                "default: the recording's name with .vtt)."
            ),
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help=N_(
                "A faster-whisper model name (e.g. small: better, about 3x slower; fetched "
                "from the model hub where reachable) or a local model folder. Default: the "
                "bundled Whisper base, offline."
            ),
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help=N_("Spoken language (default: de, or the event's).")),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help=N_("Make a new transcript where one exists; the old one is kept (NAME.alt.vtt)."),
        ),
    ] = False,
    vad: Annotated[
        bool,
        typer.Option("--vad/--no-vad", help=N_("Skip silence (voice activity detection).")),
    ] = True,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-p",
            help=N_("Project folder, to find an event by its name."),
            file_okay=False,
        ),
    ] = None,
    parents: Annotated[bool, PARENTS] = False,
) -> None:
    """Write an automatic WebVTT transcript (marked "automatisch", to be checked)."""
    from clipper.archive.protect import check_transcript_output
    from clipper.archive.transcribe_event import event_folder, transcribe_event
    from clipper.transcribe.engine import require_engine
    from clipper.transcribe.model import TranscribeError
    from clipper.transcribe.run import Options, transcribe_file

    require_engine()
    options = Options(model=model, language=language or "", vad=vad)
    reporter = MinutesReporter(err)
    folder = event_folder(target, project)
    if folder is not None:
        if output is not None:
            raise TranscribeError(
                _("an event's transcript goes into its folder"), hint=_("leave out -o")
            )
        result = transcribe_event(folder, options, replace=replace, reporter=reporter)
    else:
        output = output or target.with_suffix(".vtt")
        check_transcript_output(output, source=target, replace=replace, parents=parents)
        options = Options(model=model, language=language or "de", vad=vad)
        result = transcribe_file(target, output, options, replace=replace, reporter=reporter)
    resumed = (
        _(", {count} part(s) resumed").format(count=result.resumed_chunks)
        if result.resumed_chunks
        else ""
    )
    out.print(
        _(
            "Transcript written: {output} ({cues} captions, "
            "{model}{resumed}); made automatically: please check it"
        ).format(output=result.output, cues=result.cues, model=result.model, resumed=resumed),
        markup=False,
    )
    if result.kept is not None:
        out.print(
            _("The previous transcript is kept: {kept}").format(kept=result.kept),
            markup=False,
        )
