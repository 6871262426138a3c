"""The command line in clipper's language: help texts, metavars and Typer's own words.

Help texts are made when the modules are imported, before clipper knows the language (and
tests switch CLIPPER_LANG within one process), so they stay English in the code (marked
with `N_()`; a command's help is its docstring) and are translated here, on the freshly
built command tree, each time the CLI starts (`LocalizedGroup.main`: the console script and
the test runner both go through it).

Typer's own texts: Typer translates some with the stdlib's gettext (panel titles, "No such
command", "[default: ...]"), which `route_stdlib_gettext` points at clipper's catalog; the
Click it ships (typer._click) writes fixed English instead ("Usage: ", "Missing option",
"Show this message and exit."), so those are translated where they are shown: the usage
prefix, the help option's text and the error panel's message (matched by `_USAGE_ERRORS`).
tests/test_i18n.py runs them all, so a Typer upgrade that changes them is noticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from typer import rich_utils
from typer._click import formatting
from typer._click.core import Command, Context, Parameter
from typer.core import TyperArgument, TyperGroup, TyperOption

from clipper.i18n import N_, _, route_stdlib_gettext, set_language

# Typer computes these at import time with gettext: set again for the current language.
_TYPER_CONSTANTS = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
# Texts Typer translates at call time (through the stdlib's gettext).
_TYPER_TEXTS = (
    N_("No such command {name!r}."),
    N_("Missing command."),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Aborted!"),
)

# The English error messages of typer._click, and the catalog text each becomes.
_USAGE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"Missing option(?P<hint> .+?)?\.", N_("Missing option{hint}.")),
    (r"Missing argument(?P<hint> .+?)?\.", N_("Missing argument{hint}.")),
    (r"Missing parameter(?P<hint> .+?)?\.", N_("Missing parameter{hint}.")),
    (
        r"No such option: (?P<name>.+?) \(Possible options: (?P<possibilities>.+)\)",
        N_("No such option: {name} (Did you mean {possibilities}?)"),
    ),
    (r"No such option: (?P<name>.+)", N_("No such option: {name}")),
    (
        r"Got unexpected extra argument\(s\) \((?P<args>.*)\)",
        N_("Got unexpected extra arguments ({args})"),
    ),
    (r"Option (?P<name>'.+?') requires an argument\.", N_("Option {name} requires a value.")),
    (
        r"Option (?P<name>'.+?') requires (?P<nargs>\d+) arguments\.",
        N_("Option {name} requires {nargs} values."),
    ),
    (r"Option (?P<name>'.+?') does not take a value\.", N_("Option {name} does not take a value.")),
    (
        r"Invalid value for (?P<hint>.+?): (?P<message>.*)",
        N_("Invalid value for {hint}: {message}"),
    ),
    (r"Invalid value: (?P<message>.*)", N_("Invalid value: {message}")),
    (r"Value error, (?P<message>.*)", "{message}"),
    (r"Input should be a valid integer.*", N_("a whole number is needed")),
    (r"Input should be a valid number.*", N_("a number is needed")),
    (
        r"Value (?P<value>.+?) is not a valid (?P<kind>int|float)\.",
        N_("{value} is not a number."),
    ),
    (r"Value (?P<value>.+?) is not a valid (?P<kind>\w+)\.", N_("{value} is not valid here.")),
    (r"(?P<value>.+?) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"file (?P<name>.+?) does not exist\.", N_("The file {name} does not exist.")),
    (r"dir (?P<name>.+?) does not exist\.", N_("The folder {name} does not exist.")),
    (r"path (?P<name>.+?) does not exist\.", N_("{name} does not exist.")),
    (r"\w+ (?P<name>.+?) is a file\.", N_("{name} is a file.")),
    (r"\w+ (?P<name>.+?) is a directory\.", N_("{name} is a folder.")),
    (r"\w+ (?P<name>.+?) is not readable\.", N_("{name} cannot be read.")),
    (r"\w+ (?P<name>.+?) is not writable\.", N_("{name} cannot be written.")),
    (
        r"(?P<message>.+?)\.?\. Did you mean (?P<suggestions>.+)\?",
        N_("{message}. Did you mean {suggestions}?"),
    ),
)
_USAGE_PATTERNS = tuple((re.compile(p, re.DOTALL), m) for p, m in _USAGE_ERRORS)
_CHOOSE_FROM = "Choose from:"


def translate_usage_error(message: str) -> str:
    """A usage error from typer._click in the current language (unknown ones unchanged)."""
    text, _sep, rest = message.partition(f" {_CHOOSE_FROM}")
    if _sep:
        return translate_usage_error(text) + " " + _("Choose from:") + rest
    for pattern, msgid in _USAGE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = {k: v or "" for k, v in match.groupdict().items()}
            if "message" in parts:  # the inner message is one of ours or Typer's too
                parts["message"] = translate_usage_error(parts["message"])
            return _(msgid).format(**parts)
    return text


# What a command's arguments are called in its usage line (their parameter names in English).
_ARGUMENT_WORDS = {
    "event": N_("EVENT"),
    "file": N_("FILE"),
    "folder": N_("FOLDER"),
    "recording": N_("RECORDING"),
    "source": N_("SOURCE"),
    "target": N_("TARGET"),
}


def _metavar(param: TyperOption) -> str:
    """A plain word for what an option takes (flags take nothing: no `<bool>`)."""
    if param.is_flag or param.count:
        return ""
    desc = param.type_descriptor
    if desc.is_choice and desc.choices is not None:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices)
    shown = param.display_type(None)  # type: ignore[arg-type]
    return {
        "<path>": _("PATH"),
        "<file>": _("FILE"),
        "<dir>": _("FOLDER"),
        "<int>": _("NUMBER"),
        "<float>": _("NUMBER"),
    }.get(shown or "", _("TEXT"))


def _no_type(ctx: Context) -> None:
    """An argument's metavar already says what it is: no `<path>` beside it."""


def _localize_params(params: Sequence[Parameter]) -> None:
    for param in params:
        help_text = getattr(param, "help", None)
        if help_text:
            param.help = _(help_text)  # type: ignore[attr-defined]
        if isinstance(param, TyperArgument):
            name = param.name or ""
            param.metavar = _(param.metavar or _ARGUMENT_WORDS.get(name, name.upper()))
            param.display_type_rich = _no_type  # type: ignore[method-assign]
        elif isinstance(param, TyperOption):
            param.metavar = _(param.metavar) if param.metavar else _metavar(param)


def localize(command: Command) -> None:
    """Translate the help of `command` and its subcommands in place."""
    if command.help:
        command.help = _(command.help)
    if command.short_help:
        command.short_help = _(command.short_help)
    if command.epilog:
        command.epilog = _(command.epilog)
    command.options_metavar = _("[OPTIONS]")
    _localize_params(command.params)
    if isinstance(command, TyperGroup):
        command.subcommand_metavar = _("COMMAND [ARGS]...")
        for sub in command.commands.values():
            localize(sub)


def _usage_in_language(original: Callable[..., None]) -> Callable[..., None]:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, _("Usage:") + " " if prefix is None else prefix)

    write_usage._clipper = True  # type: ignore[attr-defined]
    return write_usage


def _help_option_in_language(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Command, ctx: Context) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
            option.metavar = ""
        return option

    get_help_option._clipper = True  # type: ignore[attr-defined]
    return get_help_option


def _errors_in_language(original: Callable[[Any], None]) -> Callable[[Any], None]:
    def rich_format_error(error: Any) -> None:
        message = translate_usage_error(error.format_message())
        error.format_message = lambda: message
        original(error)

    rich_format_error._clipper = True  # type: ignore[attr-defined]
    return rich_format_error


def localize_libraries() -> None:
    """Typer (and its Click) speak the current language from now on."""
    route_stdlib_gettext()
    for name, message in _TYPER_CONSTANTS.items():
        setattr(rich_utils, name, _(message))
    formatter = formatting.HelpFormatter
    if not getattr(formatter.write_usage, "_clipper", False):
        formatter.write_usage = _usage_in_language(formatter.write_usage)  # type: ignore[method-assign]
    if not getattr(Command.get_help_option, "_clipper", False):
        Command.get_help_option = _help_option_in_language(Command.get_help_option)  # type: ignore[method-assign]
    if not getattr(rich_utils.rich_format_error, "_clipper", False):
        rich_utils.rich_format_error = _errors_in_language(rich_utils.rich_format_error)  # type: ignore[assignment]


class LocalizedGroup(TyperGroup):
    """The root command: decides the language of everything Typer prints before it runs."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        set_language(None)  # until the command finds its project (cli/common.py)
        localize_libraries()
        localize(self)
        return super().main(*args, **kwargs)
