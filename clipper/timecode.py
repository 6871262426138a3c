"""The one exact time type: integer milliseconds, plus parsing and formatting.

Times a user writes and times in WebVTT are whole milliseconds, so clipper keeps every
user-facing time as an `int` of milliseconds. Media timestamps are exact `Fraction`s of
seconds (pts * time_base); `fraction_to_ms` rounds them once, half up, at the edge.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from clipper.i18n import _

# HH:MM:SS.fff, H:MM:SS, MM:SS.fff, M:SS, or plain seconds; '.' or ',' before the fraction.
_CLOCK = re.compile(
    r"""^\s*
    (?:(?:(?P<h>\d+):)?(?P<m>\d{1,2}):)?
    (?P<s>\d+)
    (?:[.,](?P<frac>\d+))?
    \s*$""",
    re.VERBOSE,
)


# Longer "times" are typing accidents (and Python refuses to turn 4,300+ digits into an int).
MAX_TIME_CHARS = 40


class TimecodeError(ValueError):
    """A time could not be parsed; the message says why (no file/line: callers add them)."""


def parse_time(text: str) -> int:
    """Parse a user-written time into milliseconds.

    Accepts `HH:MM:SS.fff`, `MM:SS.fff`, `SS.fff` (seconds alone may exceed 59), with one-digit
    hours/minutes allowed and `,` as decimal separator. Fractions beyond milliseconds are
    rounded half up.
    """
    match = _CLOCK.match(text) if len(text) <= MAX_TIME_CHARS else None
    if not match:
        shown = text.strip() if len(text) <= MAX_TIME_CHARS else text.strip()[:20] + "..."
        units = _UNITS.match(text) if len(text) <= MAX_TIME_CHARS else None
        if units and any(units.groups()):
            raise TimecodeError(
                _(
                    "{shown!r} has units; write {clock_form} instead "
                    "(minutes:seconds, or hours:minutes:seconds)"
                ).format(shown=shown, clock_form=_clock_form(units))
            )
        raise TimecodeError(
            _("cannot read the time {shown!r}; write it like 01:02:03.500, 2:03,5 or 123.5").format(
                shown=shown
            )
        )
    hours = int(match["h"] or 0)
    minutes = int(match["m"] or 0)
    seconds = int(match["s"])
    if match["m"] is not None:
        if seconds > 59:
            raise TimecodeError(_("seconds over 59 in {strip!r}").format(strip=text.strip()))
        if minutes > 59:
            raise TimecodeError(_("minutes over 59 in {strip!r}").format(strip=text.strip()))
    frac = match["frac"] or ""
    millis = 0
    if frac:
        millis = math.floor(Fraction(int(frac), 10 ** len(frac)) * 1000 + Fraction(1, 2))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


# `1h2m3,5s`, `90s`, `1 min 30 s`, `2 Min.`, `45 Sek`: refused (one way to write a time, as
# players show it), but understood well enough to say how to write it.
_UNITS = re.compile(
    r"""^\s*
    (?:(?P<h>\d+)\s*(?:h|std)\.?\s*)?
    (?:(?P<m>\d+)\s*(?:m|min)\.?\s*)?
    (?:(?P<s>\d+(?:[.,]\d+)?)\s*(?:s|sek|sec)\.?\s*)?
    $""",
    re.VERBOSE | re.IGNORECASE,
)


def _clock_form(units: re.Match[str]) -> str:
    """`1h2m3,5s` as the clock time it means: `1:02:03,5`."""
    whole, _, frac = (units["s"] or "0").replace(".", ",").partition(",")
    minutes, seconds = divmod(int(units["m"] or 0) * 60 + int(whole), 60)
    hours, minutes = divmod(int(units["h"] or 0) * 60 + minutes, 60)
    text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return f"{text},{frac}" if frac else text


def format_time(ms: int, *, always_hours: bool = True) -> str:
    """Format milliseconds as `HH:MM:SS.mmm` (the WebVTT form)."""
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if hours or always_hours:
        return f"{sign}{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{sign}{minutes:02d}:{seconds:02d}.{millis:03d}"


def format_clock(ms: int) -> str:
    """Short human form for pages and chapter lists: `m:ss` or `h:mm:ss` (truncated)."""
    total = max(ms, 0) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def fraction_to_ms(seconds: Fraction) -> int:
    """Round exact seconds to whole milliseconds, half up."""
    return math.floor(seconds * 1000 + Fraction(1, 2))


def seconds_to_ms(seconds: float | Fraction) -> int:
    """Round seconds from a probe or a file (floats) to whole ms by the same rule."""
    return fraction_to_ms(Fraction(seconds))


def ms_to_fraction(ms: int) -> Fraction:
    return Fraction(ms, 1000)


def iso_duration(ms: int) -> str:
    """ISO 8601 duration (`PT1M5S`), as schema.org and some players want it."""
    total = max(ms, 0) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if seconds or out == "PT":
        out += f"{seconds}S"
    return out


# SMPTE timecode HH:MM:SS:FF; `;` before the frames marks drop-frame. All four fields are
# required, so `1:02:03` stays a clock time.
_FRAMES = re.compile(r"^\s*(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?P<sep>[:;])(?P<f>\d{2})\s*$")


def is_frame_timecode(text: str) -> bool:
    """`HH:MM:SS:FF` (or `HH:MM:SS;FF`): needs the recording's frame rate to become a time."""
    return _FRAMES.match(text) is not None


def nominal_rate(fps: Fraction) -> int:
    """The frames counted per timecode second: 30 for 30000/1001, 24 for 24000/1001."""
    return max(1, math.floor(fps + Fraction(1, 2)))


def frame_timecode_ms(text: str, fps: Fraction) -> int:
    """The start of the frame that SMPTE timecode `text` names, in milliseconds.

    Timecode counts frames, not clock time: FF is the frame within the second at the nominal
    rate (30 for 29.97 fps), so at 29.97 fps non-drop `00:01:00:00` is frame 1800, 60.06 s
    in. Drop-frame (`;`, 29.97 and 59.94 fps only) skips the first 2 (4) frame numbers of each
    minute except every tenth, so it keeps step with the clock. Exact with Fractions; the
    result is rounded half up once, here.
    """
    match = _FRAMES.match(text)
    if not match:
        raise TimecodeError(
            _("cannot read the frame timecode {strip!r}; write HH:MM:SS:FF").format(
                strip=text.strip()
            )
        )
    hours, minutes, seconds, frame = (int(match[k]) for k in ("h", "m", "s", "f"))
    shown = text.strip()
    if minutes > 59 or seconds > 59:
        raise TimecodeError(_("minutes or seconds over 59 in {shown!r}").format(shown=shown))
    nominal = nominal_rate(fps)
    if frame >= nominal:
        raise TimecodeError(
            _(
                "frame {frame} in {shown!r} does not exist at {rate} fps (frames 00 to {value:02d})"
            ).format(frame=frame, shown=shown, rate=_rate(fps), value=nominal - 1)
        )
    count = ((hours * 60 + minutes) * 60 + seconds) * nominal + frame
    if match["sep"] == ";":
        if fps.denominator != 1001 or nominal not in (30, 60):
            raise TimecodeError(
                _(
                    "{shown!r} is a drop-frame timecode (;), which exists "
                    "only at 29.97 and 59.94 fps; this recording has {rate} fps: write {replace}"
                ).format(shown=shown, rate=_rate(fps), replace=shown.replace(";", ":"))
            )
        dropped = nominal // 15
        total_minutes = hours * 60 + minutes
        if seconds == 0 and frame < dropped and minutes % 10 != 0:
            raise TimecodeError(
                _(
                    "{shown!r} does not exist in drop-frame timecode "
                    "(frames 00 to {value:02d} are skipped at the start of "
                    "each minute but every tenth)"
                ).format(shown=shown, value=dropped - 1)
            )
        count -= dropped * (total_minutes - total_minutes // 10)
    return fraction_to_ms(count / fps)


def _rate(fps: Fraction) -> str:
    return str(fps.numerator) if fps.denominator == 1 else f"{float(fps):.3f}".rstrip("0")
