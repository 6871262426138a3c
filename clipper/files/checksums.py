"""SHA-256 checksums of recordings, and copying a file while hashing it.

The archive records each original's checksum at ingest; `clipper verify` and the publish
cache compare against it. Files are read in 1 MiB chunks so hours-long recordings never
sit in memory.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

CHUNK = 1 << 20


def sha256_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    """The hex SHA-256 of a file's bytes; `progress` gets the bytes read so far."""
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done)
    return digest.hexdigest()


def copy_hashed(source: Path, target: Path, progress: Callable[[int], None] | None = None) -> str:
    """Copy `source` to `target` (a fresh path), flushed to disk; return the source's SHA-256.

    Hashing while copying reads the source once; the caller verifies the copy by hashing it
    again, which catches a bad write or a source that changed while it was copied.
    """
    digest = hashlib.sha256()
    done = 0
    with source.open("rb") as src, target.open("xb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done)
        dst.flush()
        os.fsync(dst.fileno())
    stat = source.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # keep the recording's date
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open folders; its renames are journaled anyway
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
