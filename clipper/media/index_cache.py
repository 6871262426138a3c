"""The packet index of a recording, read once and remembered for the next cut of it.

Planning a cut demuxes the packets around each range (media/keyframes.py: keyframes,
IDRs, frame times, whether a packet's data looks intact). That is a read of every byte
in those windows, done again by every cut of the same ranges (a cut run again after a
change to one range, the clips a publish makes from ranges cut before). An `IndexStore`
keeps the windows of one recording in one small JSON file and answers a window it has
seen without opening the recording.

The key is the file as the system sees it (its full path, size, modification time and
inode, like the remembered damage verdicts): an edited or replaced file is read afresh.
Not the SHA-256: knowing the checksum of the file as it is now needs a read of the whole
recording, which is what the cache saves (event.toml's checksum is what the file was at
ingest). A cache file that is damaged, foreign or of another format is ignored and made
again; it is written atomically, and only when the caller says the cut went ahead
(`save`), so a refused cut writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from clipper.files.atomic import atomic_write_text
from clipper.media.keyframes import AvcConfig, PacketIndex, PacketRef, VideoParams, scan_windows

FORMAT = 1  # bump when what a window holds changes (PacketRef fields, scan rules)
MAX_WINDOWS = 64  # per recording (a cache file of ~2 MB at most): the oldest go first


def file_key(path: Path) -> str | None:
    """The cache key of `path` as it is now (None when it cannot be read)."""
    try:
        stat = path.stat()
        identity = [str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino, FORMAT]
    except OSError:
        return None
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


@dataclass
class IndexStore:
    """The remembered packet windows of one recording, kept in `folder`."""

    path: Path
    folder: Path
    key: str | None = None
    windows: dict[str, dict[str, Any]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    seen: dict[str, PacketIndex] = field(default_factory=dict)  # this run's windows
    _loaded: bool = False
    _changed: bool = False

    @classmethod
    def open(cls, path: Path, folder: Path) -> IndexStore:
        return cls(Path(path), Path(folder), file_key(Path(path)))

    @property
    def file(self) -> Path | None:
        return self.folder / f"{self.key}.json" if self.key else None

    def scan(
        self, path: Path, start: Fraction, end: Fraction, margin: Fraction = Fraction(1)
    ) -> PacketIndex:
        """scan_packets(path, start, end, margin), from the cache when it was seen before."""
        return self.scan_all(path, [(start, end)], margin)[0]

    def scan_all(
        self, path: Path, windows: list[tuple[Fraction, Fraction]], margin: Fraction = Fraction(1)
    ) -> list[PacketIndex]:
        """scan_windows(path, windows, margin): the windows seen before from the cache, the
        others read (the file opened once for them)."""
        if Path(path) != self.path or self.key is None:
            return scan_windows(path, windows, margin)
        self._load()
        names = [f"{start}|{end}|{margin}" for start, end in windows]
        for name in names:
            if name not in self.seen and name in self.windows:
                try:
                    self.seen[name] = index_from_json(self.windows[name])
                    self.hits += 1
                except (KeyError, TypeError, ValueError, ZeroDivisionError):
                    del self.windows[name]
        missing = [(n, w) for n, w in zip(names, windows, strict=True) if n not in self.seen]
        if missing:
            read = scan_windows(path, [w for _n, w in missing], margin)
            for (name, _window), index in zip(missing, read, strict=True):
                self.seen[name] = index
                self.windows.pop(name, None)
                self.windows[name] = index_to_json(index)
                self.misses += 1
            while len(self.windows) > MAX_WINDOWS:
                self.windows.pop(next(iter(self.windows)))
            self._changed = True
        return [self.seen[name] for name in names]

    def packets(self) -> list[PacketRef]:
        """Every packet of the windows asked for in this run, once each, in decode order."""
        found = {p.pts: p for index in self.seen.values() for p in index.packets}
        return sorted(found.values(), key=lambda p: p.dts)

    def save(self) -> None:
        """Write what was newly read (best effort: a cache that cannot be written costs
        only time), unless the file changed while it was read."""
        target = self.file
        if not self._changed or target is None or file_key(self.path) != self.key:
            return
        data = {"format": FORMAT, "windows": self.windows}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(target, json.dumps(data, separators=(",", ":")))
            self._changed = False
        except OSError:
            pass

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        target = self.file
        if target is None:
            return
        try:
            data = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT:
            windows = data.get("windows")
            if isinstance(windows, dict):
                self.windows = {str(k): v for k, v in windows.items() if isinstance(v, dict)}


def _frac(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _unfrac(value: Any) -> Fraction | None:
    return None if value is None else Fraction(str(value))


def index_to_json(index: PacketIndex) -> dict[str, Any]:
    """A packet window as JSON: each packet as [pts, dts, flags] (exact fractions)."""
    p = index.params
    avc = p.avc
    params = {
        "codec": p.codec,
        "width": p.width,
        "height": p.height,
        "pix_fmt": p.pix_fmt,
        "sar": _frac(p.sample_aspect_ratio),
        "colour": [p.color_primaries, p.color_trc, p.colorspace, p.color_range],
        "time_base": str(p.time_base),
        "fps": _frac(p.fps),
        "avc": None
        if avc is None
        else {
            "profile": avc.profile_idc,
            "level": avc.level_idc,
            "length": avc.nal_length_size,
            "sps": [s.hex() for s in avc.sps],
            "pps": [s.hex() for s in avc.pps],
        },
    }
    packets = [
        [str(r.pts), str(r.dts), int(r.key) | int(r.idr) << 1 | int(not r.intact) << 2]
        for r in index.packets
    ]
    return {
        "params": params,
        "packets": packets,
        "stream_end": _frac(index.stream_end),
        "notes": list(index.notes),
    }


def index_from_json(data: dict[str, Any]) -> PacketIndex:
    """The inverse of index_to_json; raises KeyError, TypeError or ValueError when broken."""
    p = data["params"]
    a = p["avc"]
    avc = (
        None
        if a is None
        else AvcConfig(
            int(a["profile"]),
            int(a["level"]),
            int(a["length"]),
            [bytes.fromhex(s) for s in a["sps"]],
            [bytes.fromhex(s) for s in a["pps"]],
        )
    )
    primaries, trc, space, colour_range = (int(v) for v in p["colour"])
    params = VideoParams(
        codec=str(p["codec"]),
        width=int(p["width"]),
        height=int(p["height"]),
        pix_fmt=None if p["pix_fmt"] is None else str(p["pix_fmt"]),
        sample_aspect_ratio=_unfrac(p["sar"]),
        color_primaries=primaries,
        color_trc=trc,
        colorspace=space,
        color_range=colour_range,
        time_base=Fraction(str(p["time_base"])),
        fps=_unfrac(p["fps"]),
        avc=avc,
    )
    packets = [
        PacketRef(Fraction(pts), Fraction(dts), bool(f & 1), bool(f & 2), not f & 4)
        for pts, dts, f in data["packets"]
    ]
    notes = [str(n) for n in data["notes"]]
    return PacketIndex(packets, _unfrac(data["stream_end"]), params, notes)
