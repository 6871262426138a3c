"""A cut plan in plain words for staff: how many parts, how long, how much is re-encoded.

`clipper cut` prints this by default ("3 Abschnitte, 4:48 min, 12 s werden neu berechnet");
the engineering view (copied GOPs, encode spans, keyframes) is `CutPlan.describe()`, shown
with `--details`. Pure: text only, no effects.
"""

from __future__ import annotations

from clipper.cutting.cut_plan import CutPlan
from clipper.cutting.modes import CutMode
from clipper.i18n import _, ngettext
from clipper.timecode import format_clock, format_time, fraction_to_ms


def duration_text(ms: int) -> str:
    """A length as staff say it: `4:48 min` from a minute on, else `12 s` (`1,5 s`)."""
    if ms >= 59_500:  # what rounds to a minute or more
        return _("{clock} min").format(clock=format_clock((ms + 500) // 1000 * 1000))
    tenths = (ms + 50) // 100
    whole, tenth = divmod(tenths, 10)
    # TRANSLATORS: the decimal separator of a number of seconds ("1.5 s"; German "1,5 s").
    point = _(".")
    number = f"{whole}{point}{tenth}" if tenth and whole < 10 else str(whole + (tenth >= 5))
    return _("{seconds} s").format(seconds=number)


def encoded_ms(plan: CutPlan) -> int:
    """How much of the clip the encoder makes anew (the rest is copied as it is)."""
    return sum(
        fraction_to_ms(s.end - s.start)
        for planned in plan.pieces
        for s in planned.segments
        if s.kind == "encode"
    )


def plain_summary(plan: CutPlan) -> str:
    """`3 parts, 4:48 min, 12 s re-encoded`: what staff need to know before cutting."""
    count = len(plan.pieces)
    parts = ngettext("{count} part", "{count} parts", count).format(count=count)
    total = plan.frame_plan.duration_ms
    if plan.mode == CutMode.keyframe:
        work = _("nothing re-encoded, cut near the chosen times (not to the frame)")
    else:
        encoded = encoded_ms(plan)
        if encoded == 0:
            work = _("nothing re-encoded")
        elif plan.mode == CutMode.accurate or encoded >= total:
            work = _("all of it re-encoded")
        else:
            work = _("{duration} re-encoded").format(duration=duration_text(encoded))
    return f"{parts}, {duration_text(total)}, {work}"


def plain_parts(plan: CutPlan) -> list[str]:
    """One line per part: where it comes from in the recording, its label and length."""
    lines = []
    for number, planned in enumerate(plan.pieces, start=1):
        piece = planned.piece
        label = f"  {piece.range.label}" if piece.range.label else ""
        lines.append(
            _("{number}. {start} - {end}{label} ({length})").format(
                number=number,
                start=format_time(piece.start_ms),
                end=format_time(piece.end_ms),
                label=label,
                length=duration_text(piece.end_ms - piece.start_ms),
            )
        )
    return lines
