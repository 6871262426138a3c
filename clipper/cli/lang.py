"""The command line in clipper's language: help texts, metavars and Click/Typer's own words.

Help texts are made when the modules are imported, before clipper knows the language (and
tests switch CLIPPER_LANG within one process), so they stay English in the code (marked
with `N_()`, command help is the function's docstring) and are translated here, on the
freshly built Click command tree, each time the CLI starts (`LocalizedGroup.main`: the
console script and the test runner both go through it). Click and Typer translate their own
texts with the stdlib's gettext, which `route_stdlib_gettext` points at clipper's catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
from typer import rich_utils
from typer.core import TyperGroup

from clipper.i18n import N_, _, route_stdlib_gettext

# Typer computes these at import time with gettext: set again for the current language.
# The msgids are listed in cli/library_texts.py.
_TYPER_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}


# What a command's arguments are called in its usage line (their parameter names in English).
_ARGUMENT_WORDS = {
    "file": N_("FILE"),
    "recording": N_("RECORDING"),
    "source": N_("SOURCE"),
    "target": N_("TARGET"),
}


def _metavar(param: click.Parameter) -> str | None:
    """A plain word for what an option takes (flags take nothing: no `<bool>`)."""
    if isinstance(param, click.Option) and (param.is_flag or param.count):
        return ""
    kind = param.type
    if isinstance(kind, click.Choice):
        return "|".join(str(c) for c in kind.choices)
    if isinstance(kind, click.Path):
        if kind.file_okay and not kind.dir_okay:
            return _("FILE")
        if kind.dir_okay and not kind.file_okay:
            return _("FOLDER")
        return _("PATH")
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        return _("NUMBER")
    return _("TEXT")


def _localize_params(params: Sequence[click.Parameter]) -> None:
    for param in params:
        help_text = getattr(param, "help", None)
        if help_text:
            param.help = _(help_text)  # type: ignore[attr-defined]
        if param.metavar is None or isinstance(param, click.Argument):
            if isinstance(param, click.Argument):
                name = param.name or ""
                param.metavar = _(param.metavar or _ARGUMENT_WORDS.get(name, name.upper()))
            else:
                param.metavar = _metavar(param)
        elif param.metavar:
            param.metavar = _(param.metavar)


def localize(command: click.Command) -> None:
    """Translate the help of `command` and its subcommands in place."""
    if command.help:
        command.help = _(command.help)
    if command.short_help:
        command.short_help = _(command.short_help)
    if command.epilog:
        command.epilog = _(command.epilog)
    command.options_metavar = _("[OPTIONS]")
    _localize_params(command.params)
    if isinstance(command, click.Group):
        command.subcommand_metavar = _("COMMAND [ARGS]...")
        for sub in command.commands.values():
            localize(sub)


def localize_libraries() -> None:
    """Click and Typer speak the current language from now on."""
    route_stdlib_gettext()
    for name, message in _TYPER_CONSTANTS.items():
        setattr(rich_utils, name, _(message))


class LocalizedGroup(TyperGroup):
    """The root command: decides the language of everything Click prints before it runs."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        localize_libraries()
        localize(self)
        return super().main(*args, **kwargs)
