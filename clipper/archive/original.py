"""The `[original]` table of an event.toml: what the recording was when it entered the
archive (its checksum, size and a summary), written by ingest and checked by verify."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clipper.archive.eventfile import unknown_key
from clipper.errors import EventError
from clipper.files.toml import toml_string
from clipper.i18n import _
from clipper.media.probe import MediaInfo

# Written by `clipper ingest`: what the original recording was when it entered the archive.
# `transcript_sha256`: the transcript as stored at ingest (staff may edit it later; verify
# reports that as information). Older event.toml files do not have it.
ORIGINAL_KEYS = {
    "sha256",
    "size",
    "ingested",
    "duration",
    "container",
    "video",
    "audio",
    "transcript_sha256",
}


@dataclass(frozen=True)
class Original:
    """The `[original]` table: the recording's checksum and summary, recorded at ingest."""

    sha256: str
    size: int
    ingested: dt.datetime | None = None
    duration: float | None = None
    container: str | None = None
    video: str | None = None
    audio: str | None = None
    transcript_sha256: str | None = None


def read_original(raw: Any, path: Path) -> Original | None:
    """The `[original]` table written by `clipper ingest` (checked, since verify relies on it)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise EventError(
            _("'original' must be a table"), path=path, hint=_("it is written by `clipper ingest`")
        )
    where = " in [original]"
    for key in raw:
        if key not in ORIGINAL_KEYS:
            raise unknown_key(key, ORIGINAL_KEYS, path, where)
    sha = raw.get("sha256")
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise EventError(
            _("'sha256'{where} must be the 64 hex digits of a SHA-256 checksum").format(
                where=where
            ),
            path=path,
            hint=_("restore it from a backup, or remove [original] and run `clipper ingest` again"),
        )
    size = raw.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise EventError(
            _("'size'{where} must be the file size in bytes").format(where=where),
            path=path,
            hint=_("size = 12345678"),
        )
    ingested = raw.get("ingested")
    if ingested is not None and not isinstance(ingested, dt.datetime):
        raise EventError(
            _("'ingested'{where} must be a date and time").format(where=where),
            path=path,
            hint=_("ingested = 2024-05-17T10:30:00Z"),
        )
    duration = raw.get("duration")
    if duration is not None and (
        isinstance(duration, bool) or not isinstance(duration, int | float)
    ):
        raise EventError(
            _("'duration'{where} must be a number of seconds").format(where=where),
            path=path,
            hint=_("duration = 5400.0"),
        )
    transcript_sha = raw.get("transcript_sha256")
    if transcript_sha is not None and (
        not isinstance(transcript_sha, str) or not re.fullmatch(r"[0-9a-f]{64}", transcript_sha)
    ):
        raise EventError(
            _("'transcript_sha256'{where} must be the 64 hex digits of a SHA-256 checksum").format(
                where=where
            ),
            path=path,
            hint=_(
                "restore it from a backup, or remove the line (the transcript is then unchecked)"
            ),
        )
    texts: dict[str, str | None] = {}
    for key in ("container", "video", "audio"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise EventError(
                _("{key!r}{where} must be a text").format(key=key, where=where),
                path=path,
                hint=f'{key} = "..."',
            )
        texts[key] = value
    return Original(
        sha256=sha,
        size=size,
        ingested=ingested,
        duration=float(duration) if duration is not None else None,
        container=texts["container"],
        video=texts["video"],
        audio=texts["audio"],
        transcript_sha256=transcript_sha,
    )


def _summary(info: MediaInfo) -> tuple[str | None, str | None]:
    video = audio = None
    if info.video is not None:
        v = info.video
        video = f"{v.codec} {v.width}x{v.height}"
        if v.fps:
            video += f" {float(v.fps):.3g} fps"
    if info.audio is not None:
        a = info.audio
        audio = f"{a.codec} {a.sample_rate} Hz"
        if a.channels:
            audio += f" {a.channels} ch"
    return video, audio


def original_table(
    sha256: str,
    info: MediaInfo,
    now: dt.datetime | None = None,
    *,
    transcript_sha256: str | None = None,
) -> list[str]:
    """The `[original]` table's lines: what `clipper verify` checks the recording against."""
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    video, audio = _summary(info)
    lines = [
        "[original]",
        f"sha256 = {toml_string(sha256)}",
        f"size = {info.size_bytes}",
        f"ingested = {now.isoformat().replace('+00:00', 'Z')}",
        f"duration = {float(info.duration):.3f}",
        f"container = {toml_string(info.container)}",
    ]
    if video:
        lines.append(f"video = {toml_string(video)}")
    if audio:
        lines.append(f"audio = {toml_string(audio)}")
    if transcript_sha256:
        lines.append(f"transcript_sha256 = {toml_string(transcript_sha256)}")
    return lines
