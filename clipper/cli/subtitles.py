"""Commands on subtitle files: `subtitles check` and `subtitles convert`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clipper.cli.common import (
    LENIENT,
    _likely_speakers,
    _shown,
    _warn_line,
    reports_errors,
)
from clipper.i18n import N_, _

if TYPE_CHECKING:
    pass


subtitles_app = typer.Typer(
    help=N_("Check and convert subtitle files (WebVTT and SRT)."), no_args_is_help=True
)


@subtitles_app.command("check")
@reports_errors
def subtitles_check(
    file: Annotated[Path, typer.Argument(help=N_("A WebVTT or SRT file."))],
    as_json: Annotated[
        bool, typer.Option("--json", help=N_('Print {"cues": [{id, start_ms, end_ms, text}]}.'))
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
            _(
                "{found}; to mark them as speakers, give {options} to "
                "clipper ingest or clipper subtitles convert"
            ).format(found=found, options=options),
            err=True,
        )


@subtitles_app.command("convert")
@reports_errors
def subtitles_convert(
    source: Annotated[Path, typer.Argument(help=N_("A WebVTT or SRT file (never changed)."))],
    target: Annotated[Path, typer.Argument(help=N_("The file to write: .vtt or .srt."))],
    lenient: Annotated[bool, LENIENT] = False,
    speaker: Annotated[
        list[str] | None,
        typer.Option(
            "--speaker",
            help=N_(
                "A speaker's name (repeatable): lines starting `NAME:` become WebVTT voice "
                "spans, so the player and the transcript name the speaker."
            ),
        ),
    ] = None,
) -> None:
    """Convert between SRT and WebVTT (by OUT's suffix), keeping speakers and styling."""
    from clipper.archive.protect import check_subtitles_target
    from clipper.subtitles.convert import convert_subtitles

    check_subtitles_target(target, source=source)
    speakers = speaker or []
    result = convert_subtitles(source, target, lenient=lenient, warn=_warn_line, speakers=speakers)
    for dropped in result.dropped:
        typer.echo(
            _shown(
                _("note: {format} cannot hold {dropped}; left out").format(
                    format=result.format, dropped=dropped
                )
            ),
            err=True,
        )
    if result.speaker_prefixes:
        found, options = _likely_speakers(result.speaker_prefixes)
        typer.echo(
            _("{found}; to mark them as speakers, convert again with {options}").format(
                found=found, options=options
            ),
            err=True,
        )
    for name in result.speakers_not_found:
        typer.echo(
            _shown(
                _("note: no line starts with {value!r}; check the spelling").format(
                    value=name + ":"
                )
            ),
            err=True,
        )
    typer.echo(
        _shown(
            _("Wrote {output} ({format}, {cues} cues)").format(
                output=result.output, format=result.format, cues=result.cues
            )
        )
    )
