"""Replacing the published site in one step, and cleaning up after runs that were killed.

The new site is built in `.site.building-<pid>` beside `site/`. On Linux (and macOS) the
two folders are exchanged in one atomic step (`renameat2(RENAME_EXCHANGE)`, on macOS
`renamex_np(RENAME_SWAP)`), so `site/` is never missing, not even for a moment, and a web
server keeps serving the old pages until the new ones are complete. Elsewhere it takes
two renames (old aside, new in); a run killed between them leaves `site/` missing and
`.site.old-<pid>` present, which the next run puts back.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from pathlib import Path

from clipper.files.checksums import fsync_dir
from clipper.files.guard import is_site_leftover
from clipper.files.lock import pid_alive
from clipper.files.retry import replace_retrying
from clipper.i18n import _

RENAME_EXCHANGE = 2  # Linux renameat2 flag
RENAME_SWAP = 2  # macOS renamex_np flag
AT_FDCWD = -100


def staging_for(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")


def _old_for(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")


def _owner_gone(folder: Path) -> bool:
    pid = folder.name.rsplit("-", 1)[-1]
    return not pid.isdigit() or (int(pid) != os.getpid() and not pid_alive(int(pid)))


def _ours(folder: Path) -> bool:
    """A leftover is removed or put back only if it is a (partial) clipper site: a folder
    that merely has such a name may be someone's own."""
    return (
        folder.is_dir()
        and not folder.is_symlink()
        and is_site_leftover([p.name for p in folder.iterdir()])
    )


def recover(out_dir: Path) -> list[str]:
    """Undo what killed runs left beside `out_dir`; returns what was done, for the report."""
    done: list[str] = []
    if not out_dir.parent.is_dir():
        return done
    for old in sorted(out_dir.parent.glob(f".{out_dir.name}.old-*")):
        if not _owner_gone(old) or not _ours(old):
            continue
        if not out_dir.exists():
            os.rename(old, out_dir)
            done.append(_("restored the previous site from {name}").format(name=old.name))
        else:
            shutil.rmtree(old, ignore_errors=True)
            done.append(_("removed {name}").format(name=old.name))
    for building in sorted(out_dir.parent.glob(f".{out_dir.name}.building-*")):
        if _owner_gone(building) and _ours(building):
            shutil.rmtree(building, ignore_errors=True)
            done.append(_("removed the unfinished build {name}").format(name=building.name))
    return done


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2, macOS renamex_np); False where impossible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux"):
            result = libc.renameat2(
                AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), ctypes.c_uint(RENAME_EXCHANGE)
            )
        elif sys.platform == "darwin":
            result = libc.renamex_np(os.fsencode(a), os.fsencode(b), ctypes.c_uint(RENAME_SWAP))
        else:
            return False
    except (AttributeError, OSError, TypeError):
        return False  # no such function in this C library
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):
        return False  # the filesystem does not support it
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, out_dir: Path) -> None:
    """Make `staging` the site at `out_dir`; the old site is removed only afterwards."""
    fsync_tree(staging)
    if out_dir.exists() and exchange(staging, out_dir):
        fsync_dir(out_dir.parent)
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old site
        return
    old = _old_for(out_dir)
    if out_dir.exists():
        replace_retrying(out_dir, old)  # Windows: a browser or player may hold a file
    replace_retrying(staging, out_dir)
    fsync_dir(out_dir.parent)
    shutil.rmtree(old, ignore_errors=True)


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder of the new site, so a power cut cannot leave empty files."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with path.open("rb") as f:
                os.fsync(f.fileno())
        elif path.is_dir():
            fsync_dir(path)
    fsync_dir(folder)
