"""Is this file a whole recording? Cheap checks before ffmpeg or PyAV read it.

ffmpeg's own messages for bad input ("Invalid data found when processing input") do not
tell a user what to do, and some damage it does not report at all: an MP4 cut short after
its index (a "faststart" file whose copy stopped halfway) opens fine and simply ends early,
so a clip or a published recording would silently miss its second half. These checks read
a few bytes (the first block and the MP4 box headers, never the media data) and name the
problem and the fix in plain words.
"""

from __future__ import annotations

import errno
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from clipper.errors import MediaError
from clipper.files.atomic import open_regular_file
from clipper.i18n import N_, _

COPY_AGAIN = N_("copy the recording again from its source")
_HEAD = 4096
# Top-level boxes an MP4/MOV file may start with (ISO BMFF and QuickTime).
_MP4_FIRST_BOXES = {b"ftyp", b"styp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot"}
_EBML = bytes.fromhex("1a45dfa3")  # Matroska/WebM header
_SEGMENT = bytes.fromhex("18538067")


def check_media_file(path: Path) -> None:
    """Refuse, with the reason and a fix, a path that cannot be a complete recording.

    Missing, a folder, empty, unreadable, text instead of media, or an MP4 (or a WebM
    that states its size) that claims more bytes than the file has: cut short while
    copying or downloading.
    """
    if not path.exists():
        raise MediaError(_("file not found"), path=path, hint=_("check the path and the file name"))
    if path.is_dir():
        raise MediaError(
            _("is a folder, not a media file"),
            path=path,
            hint=_("give the recording file inside it"),
        )
    try:
        with open_regular_file(path, MediaError, _("media file")) as f:
            size = f.seek(0, 2)
            if size == 0:
                raise MediaError(_("the file is empty (0 bytes)"), path=path, hint=_(COPY_AGAIN))
            f.seek(0)
            head = f.read(_HEAD)
            if head[4:8] in _MP4_FIRST_BOXES:
                _check_mp4_boxes(f, size, path)
            elif head[:4] == _EBML:
                _check_matroska(head, size, path)
    except PermissionError as exc:
        raise MediaError(
            _("cannot read the file: permission denied"),
            path=path,
            hint=_("check its permissions, or copy it to a folder of your own"),
        ) from exc
    except OSError as exc:
        if exc.errno == errno.EISDIR:  # raced: became a folder
            raise MediaError(_("is a folder, not a media file"), path=path) from exc
        raise MediaError(
            _("cannot read the file: {value}").format(value=exc.strerror or exc),
            path=path,
            hint=_(COPY_AGAIN),
        ) from exc
    if _looks_like_text(head):
        first = head.decode("utf-8", "replace").strip().splitlines()[0][:40]
        raise MediaError(
            _("is a text file, not a recording (it starts with {first!r})").format(first=first),
            path=path,
            hint=_("a saved web page or a wrong file? export the recording again"),
        )


def _looks_like_text(head: bytes) -> bool:
    """Printable UTF-8 without NUL bytes: no audio or video container looks like that."""
    if b"\0" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut by the block end is fine
            return False
        text = head[: exc.start].decode("utf-8")
    return bool(text.strip()) and all(c.isprintable() or c in "\t\r\n\f" for c in text)


def mp4_boxes(f: BinaryIO, size: int) -> Iterator[tuple[bytes, int, int]]:
    """The top-level boxes of an MP4/MOV file: (type, offset, declared end).

    Stops at the first header that is not a box (trailing bytes some tools append).
    """
    offset = 0
    while offset + 8 <= size:
        f.seek(offset)
        header = f.read(16)
        if len(header) < 8:
            return
        box_size, kind = struct.unpack(">I4s", header[:8])
        if not all(48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 or c == 32 for c in kind):
            return
        if box_size == 1:
            if len(header) < 16:
                return
            box_size = struct.unpack(">Q", header[8:16])[0]
        elif box_size == 0:  # "to the end of the file" (allowed for the last box)
            box_size = size - offset
        if box_size < 8:
            return
        yield kind, offset, offset + box_size
        offset += box_size


def _check_mp4_boxes(f: BinaryIO, size: int, path: Path) -> None:
    """An MP4 whose last box claims more bytes than the file has was cut short."""
    kinds: set[bytes] = set()
    for kind, _start, end in mp4_boxes(f, size):
        if end > size:
            what = (
                _("the video stops partway through")
                if b"moov" in kinds
                else _("its index (moov box) is missing, so it cannot be read")
            )
            _incomplete(path, size, end, what)
        kinds.add(kind)
    if b"moov" in kinds and not kinds & {b"mdat", b"moof"}:
        _incomplete(path, size, None, _("it has an index but no video data"))


def _check_matroska(head: bytes, size: int, path: Path) -> None:
    """A WebM/MKV whose Segment claims more bytes than the file has was cut short.

    Live recorders write an "unknown" Segment size; those cannot be checked this way.
    """
    header = _vint(head, 4)
    if header is None:
        return
    segment_at = 4 + header[0] + header[1]
    if head[segment_at : segment_at + 4] != _SEGMENT:
        return
    segment = _vint(head, segment_at + 4)
    if segment is None or segment[2]:
        return
    end = segment_at + 4 + segment[0] + segment[1]
    if end > size:
        _incomplete(path, size, end, _("the video stops partway through"))


def _vint(data: bytes, at: int) -> tuple[int, int, bool] | None:
    """An EBML variable-length size at `at`: (bytes it takes, value, value is "unknown")."""
    if at >= len(data) or data[at] == 0:
        return None
    length = 8 - data[at].bit_length() + 1
    if at + length > len(data):
        return None
    value = data[at] & ((1 << (8 - length)) - 1)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return length, value, value == (1 << (7 * length)) - 1


def _incomplete(path: Path, size: int, end: int | None, what: str) -> None:
    share = ""
    if end:
        percent = min(size * 100 / end, 99.9)
        share = _(", only {percent:.1f} per cent of its {size} are there").format(
            percent=percent, size=_mb(end)
        )
    raise MediaError(
        _("the file is incomplete{share}: {what}").format(share=share, what=what),
        path=path,
        hint=_("the copy or download was cut short: {COPY_AGAIN}").format(COPY_AGAIN=_(COPY_AGAIN)),
    )


def _mb(n: int) -> str:
    if n >= 1_000_000_000:
        return f"{n / 1_000_000_000:.1f} GB"
    if n >= 10_000_000:
        return f"{n / 1_000_000:.0f} MB"
    return f"{n / 1_000_000:.2f} MB" if n >= 100_000 else f"{n:,} bytes"
