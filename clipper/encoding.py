"""Turning a user's text file into text without guessing wrong on German umlauts.

Subtitles and ranges lists reach clipper from many tools: WebVTT is UTF-8 (with or without a
BOM), Windows tools write SRT as UTF-16 or Windows-1252, Excel saves CSV as Windows-1252 and
"Unicode text" as UTF-16. The order below is safe because a wrong guess
fails loudly: a byte-order mark is unambiguous; UTF-16 without one shows as NUL bytes in
every other position; strict UTF-8 almost never decodes text in another encoding; what is
left is read as Windows-1252, the encoding of German Windows. Nothing is decoded with
`errors="replace"`: bytes that fit no encoding are refused, so no umlaut turns into `�`.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_SAMPLE = 4096  # bytes looked at for the UTF-16 NUL pattern


class UndecodableError(ValueError):
    """The bytes fit none of the encodings clipper reads (the message says which failed)."""


@dataclass(frozen=True)
class Decoded:
    text: str  # without a byte-order mark
    encoding: str  # a name for people: "UTF-8", "UTF-16", "Windows-1252"
    bom: bool = False


def decode_text(data: bytes) -> Decoded:
    """The text of `data`: BOM, then UTF-16 by its NUL bytes, then UTF-8, then Windows-1252."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom) :], codec, name), name, bom=True)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return Decoded(_strict(data, utf16, "UTF-16"), "UTF-16")
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise UndecodableError("the file holds NUL bytes: it is not a text file")
    try:
        return Decoded(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError as exc:
        raise UndecodableError(
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is neither UTF-8 nor "
            "Windows-1252 text"
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or '-be' when most even (or odd) bytes are NUL, as in Latin text in UTF-16."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    odd_nuls = sample[1::2].count(0)
    even_nuls = sample[0::2].count(0)
    if odd_nuls >= 0.3 * pairs and even_nuls == 0:
        return "utf-16-le"
    if even_nuls >= 0.3 * pairs and odd_nuls == 0:
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UndecodableError(
            f"the file says it is {name} but byte {exc.start} is not valid {name}"
        ) from None
