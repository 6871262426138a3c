"""What every command shares: safe printing, one-line errors, progress bars, options."""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from clipper.errors import ClipperError
from clipper.i18n import N_, _, set_language
from clipper.media import children
from clipper.media.ffmpeg import ProgressCallback

if TYPE_CHECKING:
    pass


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
            _fail(_("error: {exc}").format(exc=exc), exc)
        except KeyboardInterrupt as exc:  # Ctrl+C, or SIGTERM/SIGHUP as children.Cancelled
            children.stop_all()
            _stop_bars()
            err.print(_(children.CANCELLED_MESSAGE), markup=False)
            code = exc.exit_code if isinstance(exc, children.Cancelled) else 130
            raise typer.Exit(code) from None
        except BrokenPipeError:
            # The reader went away (`clipper transcript FILE | head`): stop quietly, as Unix
            # tools do, and keep Python from complaining when it flushes stdout at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                _fail(
                    _("error: the disk is full ({value})").format(
                        value=exc.filename or "while writing"
                    ),
                    exc,
                )
            name = f"{exc.filename}: " if exc.filename else ""
            _fail(_("error: {name}{value}").format(name=name, value=exc.strerror or exc), exc)
        except Exception as exc:
            _fail(
                _(
                    "internal error: {kind}: {exc} (please report it; "
                    "CLIPPER_DEBUG=1 shows details)"
                ).format(kind=type(exc).__name__, exc=exc),
                exc,
            )

    return wrapper  # type: ignore[return-value]


def _fail(message: str, exc: BaseException) -> None:
    """Print the one error line: a line end in a file name or title shows as `\\x0a`."""
    if os.environ.get("CLIPPER_DEBUG"):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    err.print(_shown(message).replace("\n", "\\x0a"), markup=False, soft_wrap=True)
    raise typer.Exit(1)


class RichReporter:
    """Progress on the terminal: a line per stage, a bar per ffmpeg run."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def step(self, message: str) -> None:
        self.console.print(f"• {message}", markup=False)

    def media(self, label: str, total_ms: int) -> ProgressCallback:
        return _progress_bar(self.console, label, total_ms)


def _progress_bar(
    console: Console,
    label: str,
    total_ms: int,
    *,
    shown: Callable[[int, int], str] | None = None,
) -> ProgressCallback:
    """A callback that draws a bar; it closes itself when the work reaches the end.

    `shown(done_ms, total_ms)` replaces the percentage (e.g. audio minutes done)."""
    amount = TextColumn("{task.fields[shown]}") if shown else TextColumn("{task.percentage:>3.0f}%")
    progress = Progress(
        TextColumn("  {task.description}"),
        BarColumn(),
        amount,
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task(label, total=max(total_ms, 1), shown="")
    started = False

    def update(done_ms: int) -> None:
        nonlocal started
        if not started:
            progress.start()
            _bars.append(progress)
            started = True
        done = min(done_ms, total_ms)
        progress.update(task, completed=done, shown=shown(done, total_ms) if shown else "")
        if done_ms >= total_ms:
            progress.stop()

    return update


_bars: list[Progress] = []


def _stop_bars() -> None:
    """End the bars a cancelled run left drawn (and their refresh threads)."""
    while _bars:
        _bars.pop().stop()


ALLOW_DAMAGED = typer.Option(
    "--allow-damaged",
    help=N_(
        "Use a recording whose video is damaged in places, with a warning naming them "
        "(default: refuse it). A recording without any decodable frame is always refused."
    ),
)


LENIENT = typer.Option(
    "--lenient",
    help=N_(
        "Keep the readable cues of a subtitle file that has broken ones, with a warning for "
        "each skipped cue (default: refuse the file, naming the line)."
    ),
)


def _warn_line(message: str) -> None:
    """A warning on stderr, printed as is (cue text may hold [brackets] or :colons:)."""
    typer.echo(_shown(_("warning: {message}").format(message=message)), err=True)


DETAILS = typer.Option(
    "--details",
    help=N_(
        "Also show the engineering view (codecs, keyframes, which parts are copied and which "
        "re-encoded)."
    ),
)


PARENTS = typer.Option(
    "--parents", help=N_("Create the output's folder if it does not exist (default: refuse).")
)


def _find_project(ctx: typer.Context, param: click.Parameter, value: Path) -> Path:
    """Without --project: the project around the current folder, found like git finds its
    repository (clipper/archive/project.py)."""
    from clipper.archive.project import find_project

    source = ctx.get_parameter_source(param.name) if param.name else None
    if source is not None and source.name == "DEFAULT":
        value = find_project()
    return _speak_as_project(value)


ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        "-p",
        help=N_("Project folder (holds recordings/ and transcripts/)."),
        file_okay=False,
        callback=_find_project,
    ),
]


def _speak_as_project(project: Path) -> Path:
    """The project's `language` (clipper.toml) applies to this command's messages."""
    from clipper.settings import project_language

    set_language(project_language(project))
    return project


def _likely_speakers(prefixes: list[str]) -> tuple[str, str]:
    """The start of the note on `Name:` prefixes that look like speakers (the four most
    frequent), and the `--speaker` options that would mark them."""
    names = prefixes[:4]
    options = " ".join(f"--speaker {_shell_quote(n)}" for n in names)
    note = _("note: lines start with names and a colon ({names})").format(names=", ".join(names))
    return note, options


def _shell_quote(text: str) -> str:
    """`text` as one word in the commands we suggest: double quotes work in sh, cmd.exe and
    PowerShell alike (names with quotes or `$` are not expected)."""
    return text if text.replace("-", "").replace(".", "").isalnum() else f'"{text}"'
