"""What decoding a recording found, remembered, so a cut does not decode it again.

Decoding is the only way to find damage inside the video data, and it is the biggest
cost of a cut (1-2 ms a frame: a five-minute clip, 12 s). Whoever decodes a whole
recording (`clipper probe`, `clipper publish`) leaves the verdict here; `clipper cut` of
the same file takes the verdict for the spans it uses instead of decoding them.

The key is the file as the system sees it (its full path, size, modification time and
inode), like the checksums `publish` remembers: an edited or replaced file is decoded
afresh. A bit that flips on the disk later keeps all of these; finding that is the job of
the archive's SHA-256 (`clipper verify`, and `publish` hashes every original afresh).

The verdicts live in the user's cache folder (`CLIPPER_CACHE_DIR` if set): a small JSON
file per recording, written atomically; a damaged or foreign file there is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from fractions import Fraction
from pathlib import Path

from platformdirs import user_cache_path

from clipper.files.atomic import atomic_write_text
from clipper.media.damage import DamageReport, scan_damage
from clipper.media.damage_spans import Span, check_cut
from clipper.media.ffmpeg import ProgressCallback
from clipper.media.keyframes import PacketRef

FORMAT = 1  # bump when what a verdict means changes (the scan finds more kinds of damage)


def user_cache() -> Path:
    """clipper's per-user cache folder: CLIPPER_CACHE_DIR, else the system's place for it."""
    configured = os.environ.get("CLIPPER_CACHE_DIR")
    return Path(configured) if configured else user_cache_path("clipper", appauthor=False)


def cache_dir() -> Path:
    """Where verdicts are kept."""
    return user_cache() / "damage"


def _key(path: Path) -> str | None:
    try:
        stat = path.stat()
        identity = [str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino, FORMAT]
    except OSError:
        return None
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


def remember(report: DamageReport) -> None:
    """Keep the verdict of a scan of the WHOLE recording (never of spans: a later cut may
    use other parts). Best effort: a cache that cannot be written costs only time."""
    key = _key(report.path)
    if key is None:
        return
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(folder / f"{key}.json", json.dumps(report.to_json()))
    except OSError:
        pass


def known(path: Path) -> DamageReport | None:
    """The remembered verdict of the whole of `path` as it is now, if there is one."""
    key = _key(path)
    if key is None:
        return None
    try:
        data = json.loads((cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
        return DamageReport.from_json(path, data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def within(report: DamageReport, spans: list[tuple[Fraction, Fraction]]) -> DamageReport:
    """The verdict for the spans a clip uses: only the damage inside them counts (a second
    of margin before each, as a span's scan starts at the keyframe before it)."""
    inside = [d for d in report.damages if any(start - 1 <= d.at <= end for start, end in spans)]
    return DamageReport(path=report.path, damages=inside, frames=report.frames)


def scan_whole(path: Path, *, progress: ProgressCallback | None = None) -> DamageReport:
    """Decode all of `path` for damage and remember the verdict."""
    report = scan_damage(path, progress=progress)
    remember(report)
    return report


def cut_verdict(
    path: Path,
    encoded: list[Span],
    copied: list[Span],
    packets: list[PacketRef],
    step: Fraction | None,
) -> DamageReport:
    """The verdict for a cut that re-encodes `encoded` and copies `copied`: remembered
    when the whole file was decoded before (nothing decoded now), else the cut's own
    check (media/damage_spans.py: the re-encoded frames, the copied GOPs' IDRs and
    packets)."""
    whole = known(path)
    if whole is not None:
        return within(whole, sorted(encoded + copied))
    return check_cut(path, encoded, copied, packets, step)
