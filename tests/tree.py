"""Fingerprints of folders, to show a command left `recordings/` (or a site) as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) by relative path, with its SHA-256."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(root: Path) -> list[str]:
    """Names that only an unfinished write leaves behind."""
    marks = (".partial-", ".building-", ".old-", ".ingest-", ".stale-")
    found = [str(p.relative_to(root)) for p in root.rglob("*") if any(m in p.name for m in marks)]
    tmp = root / ".clipper-cache" / "tmp"
    if tmp.is_dir():
        found += [str(p.relative_to(root)) for p in tmp.iterdir()]
    return sorted(found)
