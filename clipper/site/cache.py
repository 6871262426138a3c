"""The media cache: derived files kept by a key of everything they were made from.

A publish asks the cache for each web copy, clip, poster and caption file by a key: the
SHA-256 of a description of its inputs (the source's checksum, the cut's exact frame
times, the options, the clipper version, the source code of the modules that make media
and the ffmpeg version). Same key, same bytes: a publish with nothing changed makes no
media at all. Entries are folders built under `tmp/` and renamed into `entries/` only when
complete, so a killed run never leaves an entry that looks finished but is not.

Layout, in the project: `.clipper-cache/entries/ab/abcdef.../<files>`, `tmp/`, and
`hashes.json` (checksums of sources by size, time and inode, so big recordings are
re-read only when they change). Deleting the folder is always safe; it only costs time.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import clipper
from clipper.errors import DiskFullError
from clipper.files.atomic import atomic_path, atomic_write_text
from clipper.files.checksums import fsync_dir, sha256_file
from clipper.i18n import _

CACHE_DIR = ".clipper-cache"
MANIFEST = "entry.json"  # each entry's file sizes, checked before the entry is reused
FORMAT = 1  # bump when the layout or the meaning of keys changes
# The code whose changes can change a derived file's bytes.
MEDIA_CODE = [
    "cutting",
    "media",
    "subtitles",
    "ranges",
    "timecode.py",
]


@cache
def code_fingerprint() -> str:
    """SHA-256 over the source of the modules that make media (a code change invalidates)."""
    package = Path(clipper.__file__).parent
    digest = hashlib.sha256()
    for name in MEDIA_CODE:
        target = package / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for file in files:
            digest.update(str(file.relative_to(package)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


@cache
def _ffmpeg_version() -> str:
    from clipper.media.ffmpeg import ffmpeg_version

    return ffmpeg_version()


def cache_key(kind: str, **inputs: Any) -> str:
    """The key of a derived file: a hash of its kind, its inputs and the code making it."""
    described = {
        "kind": kind,
        "format": FORMAT,
        "clipper": clipper.__version__,
        "code": code_fingerprint(),
        "ffmpeg": _ffmpeg_version(),
        "inputs": inputs,
    }
    text = json.dumps(described, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class MediaCache:
    """Derived media by key, in `root`; counts what it made and what it reused."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.made = 0
        self.reused = 0
        self.used: set[str] = set()
        self.used_facts: set[str] = set()
        self._hashes: dict[str, list[Any]] | None = None

    def entry(self, key: str, make: Callable[[Path], object]) -> Path:
        """The folder of `key`'s files; `make(folder)` fills a fresh one when there is none.

        An entry whose files no longer have the sizes written in its manifest (someone
        deleted or truncated one) is made again rather than published.
        """
        final = self.root / "entries" / key[:2] / key
        self.used.add(key)
        if final.is_dir():
            if _intact(final):
                self.reused += 1
                return final
            shutil.rmtree(final)
        tmp = self.root / "tmp" / f"{key}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            make(tmp)
            sizes = {}
            for file in sorted(tmp.iterdir()):
                _fsync_file(file)
                sizes[file.name] = file.stat().st_size
            (tmp / MANIFEST).write_text(json.dumps({"key": key, "sizes": sizes}), encoding="utf-8")
            _fsync_file(tmp / MANIFEST)
            fsync_dir(tmp)
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(tmp, final)
            except OSError:
                if not final.is_dir():
                    raise
                shutil.rmtree(tmp, ignore_errors=True)  # made meanwhile by another run
            fsync_dir(final.parent)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                raise DiskFullError(
                    _("the disk is full; the media file being made was removed"),
                    path=self.root,
                    hint=_("free some space and run it again; the published site is unchanged"),
                ) from exc
            raise
        self.made += 1
        return final

    def facts(self, key: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Small JSON facts by key (what probing a recording found); not media, not counted."""
        known = self.known_facts(key)
        if known is not None:
            return known
        data = make()
        self.store_facts(key, data)
        return data

    def known_facts(self, key: str) -> dict[str, Any] | None:
        """The facts stored under `key`, if any (marked as used, so prune keeps them)."""
        self.used_facts.add(key)
        try:
            known = json.loads((self.root / "facts" / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return known if isinstance(known, dict) else None

    def store_facts(self, key: str, data: dict[str, Any]) -> None:
        path = self.root / "facts" / f"{key}.json"
        self.used_facts.add(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(data))

    def prune(self) -> int:
        """Remove the entries this run did not use (after a complete publish: the site keeps
        its own links to the files it uses). Keeps the cache as big as one site, not all
        the versions ever published. Returns how many entries were removed."""
        removed = 0
        for entry in sorted((self.root / "entries").glob("*/*")):
            if entry.is_dir() and entry.name not in self.used:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        for fact in sorted((self.root / "facts").glob("*.json")):
            if fact.stem not in self.used_facts:
                fact.unlink(missing_ok=True)
        return removed

    def remove_leftovers(self) -> None:
        """Half-made entries of killed runs (call it while holding the project lock)."""
        shutil.rmtree(self.root / "tmp", ignore_errors=True)

    def file_sha256(self, path: Path) -> str:
        """A file's SHA-256, re-read only when its size, modification time or inode changed."""
        hashes = self._load_hashes()
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        name = str(path.resolve())
        known = hashes.get(name)
        if known is not None and known[:3] == stamp:
            return str(known[3])
        sha = sha256_file(path)
        hashes[name] = [*stamp, sha]
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.root / "hashes.json", json.dumps(hashes, indent=0))
        return sha

    def fresh_sha256(self, path: Path, progress: Callable[[int], None] | None = None) -> str:
        """A file's SHA-256 read afresh (a flipped bit keeps size and time); later
        `file_sha256` calls in this run reuse it. Writes nothing to disk."""
        stat = path.stat()
        sha = sha256_file(path, progress)
        self._load_hashes()[str(path.resolve())] = [
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ino,
            sha,
        ]
        return sha

    def _load_hashes(self) -> dict[str, list[Any]]:
        if self._hashes is None:
            try:
                loaded = json.loads((self.root / "hashes.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = {}
            self._hashes = loaded if isinstance(loaded, dict) else {}
        return self._hashes


def place(source: Path, target: Path) -> None:
    """Put a cached file into the site being built: a hard link, else an atomic copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)


def _intact(entry: Path) -> bool:
    try:
        sizes = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))["sizes"]
        return bool(sizes) and all((entry / n).stat().st_size == z for n, z in sizes.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _fsync_file(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())
