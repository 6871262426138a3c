"""The ways a clip can be cut, declared once: the CLI option, planning and running use these."""

from __future__ import annotations

import enum


class CutMode(enum.StrEnum):
    """How a clip is made (see the README, "How a cut is made").

    `auto` is only ever asked for: planning turns it into smart or accurate, so a plan's
    mode is always one of the other three.
    """

    auto = "auto"
    smart = "smart"
    accurate = "accurate"
    keyframe = "keyframe"


MODE_HELP = (
    "auto: smart when that is exact, else accurate. smart: copy whole GOPs, "
    "re-encode only from each cut to the next keyframe. accurate: re-encode all. "
    "keyframe: copy only, cut at the nearest keyframes (not frame-accurate)."
)
"""The help of `clipper cut --mode`, beside the modes it explains."""
