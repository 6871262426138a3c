"""The `[encoding]` table of clipper.toml: how much a re-encoded clip or web copy may cost.

By default clipper aims at the recording's own bitrate (see clipper.media.bitrate), so a
published clip is about as big per second as the recording. Who wants sharper clips and
accepts bigger files raises `bitrate_percent` or lowers `crf`:

    [encoding]
    crf = 18              # x264 quality aimed at (lower is better, 18 is near-lossless)
    bitrate_percent = 100 # video at most this share of the recording's video bitrate
    max_qp = 32           # quality floor: where the cap would go below it, quality wins
    audio_kbps = 128      # the most the sound may take (it follows the recording's)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from clipper.cutting.execute import EncodeSettings
from clipper.errors import ClipperError
from clipper.i18n import _
from clipper.media.bitrate import RateRule

ENCODING_KEYS = {"crf", "bitrate_percent", "max_qp", "audio_kbps"}
_EXAMPLES = {"crf": 18, "bitrate_percent": 150, "max_qp": 32, "audio_kbps": 96}
_LIMITS = {
    "crf": (0, 51),
    "bitrate_percent": (10, 1000),
    "max_qp": (10, 51),
    "audio_kbps": (32, 320),
}


def _number(table: dict[str, Any], key: str, path: Path, error: type[ClipperError]) -> int | None:
    if key not in table:
        return None
    value = table[key]
    low, high = _LIMITS[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise error(
            _("[encoding] {key} = {value!r} must be a whole number from {low} to {high}").format(
                key=key, value=value, low=low, high=high
            ),
            path=path,
            hint=_("e.g. {key} = {example}").format(key=key, example=_EXAMPLES[key]),
        )
    return value


def read_encoding(table: dict[str, Any], path: Path, error: type[ClipperError]) -> EncodeSettings:
    """The encoder settings an `[encoding]` table asks for (defaults for missing keys)."""
    base = EncodeSettings()
    rule = RateRule()
    crf = _number(table, "crf", path, error)
    percent = _number(table, "bitrate_percent", path, error)
    max_qp = _number(table, "max_qp", path, error)
    audio = _number(table, "audio_kbps", path, error)
    rule = replace(
        rule,
        bitrate_percent=rule.bitrate_percent if percent is None else percent,
        max_qp=rule.max_qp if max_qp is None else max_qp,
        audio_kbps_max=rule.audio_kbps_max if audio is None else audio,
        audio_kbps_min=min(rule.audio_kbps_min, audio or rule.audio_kbps_min),
    )
    return replace(base, crf=base.crf if crf is None else crf, rates=rule)
