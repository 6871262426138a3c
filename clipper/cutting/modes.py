"""The ways a clip can be cut, declared once: the CLI option, planning and running use these."""

from __future__ import annotations

import enum

from clipper.i18n import N_


class CutMode(enum.StrEnum):
    """How a clip is made (see the README, "How a cut is made").

    `auto` is only ever asked for: planning turns it into smart or accurate, so a plan's
    mode is always one of the other three.
    """

    auto = "auto"
    smart = "smart"
    accurate = "accurate"
    keyframe = "keyframe"


MODE_HELP = N_(
    "auto: smart when that is exact, else accurate. smart: copy most of the recording as it "
    "is and re-encode only the seconds around each cut (fast). accurate: re-encode all "
    "(slower). keyframe: copy only, cut at the nearest points the video can start from "
    "(fastest, not to the frame)."
)
"""The help of `clipper cut --mode`, beside the modes it explains."""
