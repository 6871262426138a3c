"""Typed values in TOML files written by hand or by clipper (event.toml, clipper.toml)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

from clipper.errors import ClipperError
from clipper.files.atomic import read_user_text
from clipper.i18n import _


def as_date(value: Any) -> dt.date | None:
    """A TOML date, date-time or ISO date string as a date; None if it is none of these."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def toml_string(value: str, *, multiline: bool = False) -> str:
    """A TOML basic string (or multi-line basic string) for any Python text.

    Backslashes, quotes and control characters are escaped; in the multi-line form newlines
    stay literal (readable Markdown), and every quote is escaped so `\"\"\"` can never end it.
    """
    out: list[str] = []
    for ch in value:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n" and multiline:
            out.append("\n")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    body = "".join(out)
    if multiline:
        # The newline right after the opening quotes is dropped by TOML readers.
        return f'"""\n{body}"""'
    return f'"{body}"'


def control_character(text: str, *, allowed: str = "\t\n\r") -> str | None:
    """The first character of `text` that has no place in a title or a feed: C0 controls
    (except those `allowed`: tab and line ends), DEL and C1 controls. XML 1.0 forbids most
    of them, and on a terminal they are escape sequences."""
    for ch in text:
        code = ord(ch)
        if (code < 0x20 and ch not in allowed) or 0x7F <= code <= 0x9F:
            return ch
    return None


def _first_control(value: Any, key: str) -> tuple[str, str] | None:
    """(key, character) of the first string in a TOML value holding a control character."""
    if isinstance(value, str):
        ch = control_character(value)
        return (key, ch) if ch is not None else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        items = [(f"{key}.{k}" if key else str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(f"{key}[{i + 1}]", v) for i, v in enumerate(value)]
    for inner_key, inner in items:
        found = _first_control(inner, inner_key)
        if found:
            return found
    return None


def _line_of_escape(text: str, ch: str) -> int | None:
    """The line where TOML text writes `ch` as an escape (\\u0007, \\U00000007, \\b, \\f)."""
    code = ord(ch)
    forms = [f"\\u{code:04x}", f"\\U{code:08x}"]
    forms += {"\b": ["\\b"], "\f": ["\\f"]}.get(ch, [])
    for number, line in enumerate(text.splitlines(), start=1):
        if any(form.lower() in line.lower() for form in forms):
            return number
    return None


def load_toml(
    path: Path, error: type[ClipperError], what: str, *, refuse_controls: bool = True
) -> dict[str, Any]:
    """The data of a TOML file a user wrote (see load_toml_text)."""
    return load_toml_text(path, error, what, refuse_controls=refuse_controls)[0]


def load_toml_text(
    path: Path, error: type[ClipperError], what: str, *, refuse_controls: bool = True
) -> tuple[dict[str, Any], str]:
    """A TOML file a user wrote (UTF-8, BOM allowed) and its text, or `error` naming the
    file and line.

    Read like every user file (regular, size-bounded), then parsed by parse_toml.
    """
    text = read_user_text(path, error, what)
    return parse_toml(text, path, error, refuse_controls=refuse_controls), text


def parse_toml(
    text: str, path: Path, error: type[ClipperError], *, refuse_controls: bool = True
) -> dict[str, Any]:
    """The data of TOML `text` (from `path`), or `error` naming the file and line.

    Any failure of the parser, also a RecursionError on absurdly nested arrays, becomes one
    line. Strings holding control characters are refused: they would break feed.xml and
    could drive the terminal. (`refuse_controls=False` only for lookups that must see what
    a file names even when it is otherwise wrong, like the write guard's.)
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None and (m := re.search(r"line (\d+)", str(exc))):
            line = int(m.group(1))
        raise error(_("not valid TOML: {exc}").format(exc=exc), path=path, line=line) from exc
    except RecursionError as exc:
        raise error(
            _("not valid TOML: nested too deeply"), path=path, hint=_("check the brackets")
        ) from exc
    except Exception as exc:  # tomllib promises only TOMLDecodeError; refuse whatever else
        raise error(_("not valid TOML: {kind}").format(kind=type(exc).__name__), path=path) from exc
    found = _first_control(data, "") if refuse_controls else None
    if found is not None:
        key, ch = found
        raise error(
            _("{key} contains the control character U+{ord:04X}").format(key=key, ord=ord(ch)),
            path=path,
            line=_line_of_escape(text, ch),
            hint=_("remove it"),
        )
    return data


def unknown_key(
    key: str, known: set[str], path: Path, where: str, error: type[ClipperError]
) -> ClipperError:
    """A key no reader knows (a typo, or a key in the wrong table): `error` naming the file,
    with the closest known key or the list of them."""
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = (
        _("did you mean {close!r}?").format(close=close[0])
        if close
        else _("known keys: {join}").format(join=", ".join(sorted(known)))
    )
    return error(_("unknown key {key!r}{where}").format(key=key, where=where), path=path, hint=hint)
