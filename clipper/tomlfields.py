"""Typed values in TOML files written by hand or by clipper (event.toml, clipper.toml)."""

from __future__ import annotations

import datetime as dt
from typing import Any


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
