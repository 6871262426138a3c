"""Turning a user's text file into text without guessing wrong on German umlauts.

Subtitles and ranges lists reach clipper from many tools: WebVTT is UTF-8 (with or without a
BOM), Windows tools write SRT as UTF-16 or Windows-1252, Excel saves CSV as Windows-1252 and
"Unicode text" as UTF-16. The order below is safe because a wrong guess
fails loudly: a byte-order mark is unambiguous; UTF-16 without one shows as NUL bytes in
every other position; strict UTF-8 almost never decodes text in another encoding; text
whose umlauts sit where Mac OS Roman puts them (Excel for Mac's "CSV (Macintosh)") is read
as that; what is left is read as Windows-1252, the encoding of German Windows. Nothing is
decoded with
`errors="replace"`: bytes that fit no encoding are refused, so no umlaut turns into `�`.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass

from clipper.i18n import N_, _

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
    encoding: str  # a name for people: "UTF-8", "UTF-16", "Windows-1252", "Mac OS Roman"
    bom: bool = False


def decode_text(data: bytes) -> Decoded:
    """The text of `data`: BOM, then UTF-16 by its NUL bytes, then UTF-8, then Mac OS Roman
    when its umlauts show, else Windows-1252."""
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
        raise UndecodableError(_("the file holds NUL bytes: it is not a text file"))
    if _looks_like_mac_roman(data):
        return Decoded(data.decode("mac_roman"), "Mac OS Roman")
    try:
        return Decoded(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError as exc:
        raise UndecodableError(
            _("byte 0x{data:02x} at offset {start} is neither UTF-8 nor Windows-1252 text").format(
                data=data[exc.start], start=exc.start
            )
        ) from None


# ä ö ü in Mac OS Roman are Š š Ÿ in Windows-1252, letters German text does not use; the
# Windows-1252 bytes of ä ö ü ß Ä Ö Ü are rare symbols in Mac OS Roman (‰ ˆ ¸ ﬂ ƒ ÷ ‹).
_MAC_UMLAUTS = frozenset(b"\x8a\x9a\x9f")
_WINDOWS_UMLAUTS = frozenset(b"\xe4\xf6\xfc\xdf\xc4\xd6\xdc")


def _looks_like_mac_roman(data: bytes) -> bool:
    """Excel for Mac's "CSV (Macintosh)" and old Mac tools write Mac OS Roman: German text
    in it has umlauts at bytes that Windows-1252 reads as Š š Ÿ, and none at Windows'."""
    present = frozenset(data)
    return bool(present & _MAC_UMLAUTS) and not present & _WINDOWS_UMLAUTS


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
            _("the file says it is {name} but byte {start} is not valid {name}").format(
                name=name, start=exc.start
            )
        ) from None


@dataclass(frozen=True)
class Document:
    """A file an office program saved in its own format: text is in there, but not as text."""

    name: str  # for "is ...": "an Excel workbook"
    spreadsheet: bool  # a table (save as CSV) or a document (save as plain text)
    how: str  # how to save it as text in that program


_EXCEL = Document(
    N_("an Excel workbook"),
    True,
    N_("in Excel: Datei > Speichern unter > Dateityp „CSV UTF-8 (durch Trennzeichen getrennt)“"),
)
_WORD = Document(
    N_("a Word document"),
    False,
    N_("in Word: Datei > Speichern unter > Dateityp „Nur Text (*.txt)“, encoding UTF-8"),
)
_OPEN_DOCUMENT = {
    "application/vnd.oasis.opendocument.spreadsheet": Document(
        N_("a LibreOffice spreadsheet"),
        True,
        N_("in LibreOffice Calc: Datei > Speichern unter > Dateityp „Text CSV (.csv)“"),
    ),
    "application/vnd.oasis.opendocument.text": Document(
        N_("a LibreOffice text document"),
        False,
        N_("in LibreOffice Writer: Datei > Speichern unter > Dateityp „Text (.txt)“"),
    ),
}
_PDF = Document(
    N_("a PDF"), False, N_("copy its lines into Editor (Notepad) and save them as a .txt file")
)
_RTF = Document(
    N_("a rich text file (RTF)"),
    False,
    N_(
        "in TextEdit: Format > Make Plain Text (In reinen Text umwandeln), then save; in WordPad: "
        "save as Textdokument"
    ),
)
_APPLE = Document(
    N_("an Apple Numbers or Pages file"),
    True,
    N_("in Numbers: Ablage > Exportieren > CSV; in Pages: Ablage > Exportieren > Reiner Text"),
)


def office_document(data: bytes, suffix: str = "") -> Document | None:
    """What office program wrote `data`, told by its first bytes (a renamed `.xlsx` too), or
    None for anything that may be text. `suffix` tells old Word from old Excel files."""
    if data.startswith(b"PK\x03\x04"):
        return _zipped_document(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # Office 97-2003 (OLE2)
        return _WORD if suffix.lower() == ".doc" else _EXCEL
    if data.startswith(b"%PDF-"):
        return _PDF
    if data.lstrip()[:5] == b"{\\rtf":
        return _RTF
    return None


def _zipped_document(data: bytes) -> Document | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = (
                archive.read("mimetype").decode("ascii", "replace") if ("mimetype" in names) else ""
            )
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return _EXCEL  # a damaged zip: most likely the workbook it is named after
    if any(n.startswith("xl/") for n in names):
        return _EXCEL
    if any(n.startswith("word/") for n in names):
        return _WORD
    if mimetype.strip() in _OPEN_DOCUMENT:
        return _OPEN_DOCUMENT[mimetype.strip()]
    if any(n.startswith("Index/") for n in names):
        return _APPLE
    return None
