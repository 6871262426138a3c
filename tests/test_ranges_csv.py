"""Spreadsheet exports as ranges: `,`, `;` or tab, optional header, German number format."""

from __future__ import annotations

import contextlib
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipper.errors import RangeError
from clipper.ranges.grammar import CueId, CueSpan, Phrase, Range, TimeSpan
from clipper.ranges.read import read_ranges, read_specs
from clipper.ranges.selection import resolve
from clipper.ranges.table import looks_like_csv, parse_csv

EXPECTED = [
    Range(5_000, 42_500, "Begrüßung, kurz", 2),
    Range(70_000, 112_000, "Grußwort „Lünen“", 3),
]


@pytest.mark.parametrize(
    "text",
    [
        # LibreOffice/Excel in German: `;` and decimal commas
        'Start;Ende;Titel\n0:05;0:42,5;Begrüßung, kurz\n1:10;1:52;"Grußwort „Lünen“"\n',
        # English header, `,` with the label quoted
        'start,end,label\n0:05,0:42.5,"Begrüßung, kurz"\n1:10,1:52,Grußwort „Lünen“\n',
        # tabs, other German names, a trailing empty column as Excel writes it
        "Von\tBis\tBeschreibung\t\n"
        "0:05\t0:42,5\tBegrüßung, kurz\t\n"
        "1:10\t1:52\tGrußwort „Lünen“\t\n",
        # columns in another order
        "Titel;Beginn;Ende\nBegrüßung, kurz;0:05;0:42,5\nGrußwort „Lünen“;1:10;1:52\n",
    ],
)
def test_spreadsheet_exports(tmp_path: Path, text: str) -> None:
    path = tmp_path / "zeiten.csv"
    path.write_text(text, encoding="utf-8")
    assert read_ranges(path) == EXPECTED


def test_times_a_spreadsheet_turned_into_hours_get_a_note(tmp_path: Path) -> None:
    """LibreOffice and Google Sheets read `0:05` typed in a cell as 0 h 5 min and export
    `00:05:00`: five minutes, not five seconds. In a long recording that would cut the wrong
    parts without any error, so a table whose every time is whole minutes gets a note."""
    path = tmp_path / "zeiten.csv"
    path.write_text("Start;Ende;Titel\n00:05:00;00:42:00;Begrüßung\n01:10:00;01:52:00;x\n", "utf-8")
    selection = resolve(read_specs(path), source=path)
    assert selection.ranges[0] == Range(300_000, 2_520_000, "Begrüßung", 2)
    (note,) = map(str, selection.notes)
    assert note.startswith("line 2: every time in the table is whole minutes (00:05:00)")
    assert "format the time columns as text" in note
    path.write_text("Start;Ende\n00:05:00;00:42:30\n", "utf-8")
    assert resolve(read_specs(path), source=path).notes == []
    path.write_text("Start;Ende\n0:05;0:42\n", "utf-8")  # minutes:seconds, as typed
    assert resolve(read_specs(path), source=path).notes == []


def test_no_header_blank_rows_comments_bom_and_windows_1252(tmp_path: Path) -> None:
    text = "# Auswahl\n0:05;0:42,5;Begrüßung, kurz\n;;\n1:10;1:52;Grußwort „Lünen“\n"
    lines = [EXPECTED[0], Range(70_000, 112_000, "Grußwort „Lünen“", 4)]
    bom = tmp_path / "a.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    excel = tmp_path / "b.csv"
    excel.write_bytes(text.encode("cp1252"))
    assert read_ranges(bom) == lines
    assert read_ranges(excel) == lines


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_any_line_ends_even_old_mac_excel_cr_only(tmp_path: Path, newline: str) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with CR alone."""
    rows = ["Start;Ende;Titel", "0:05;0:42,5;Begrüßung, kurz", '1:10;1:52;"Grußwort „Lünen“"']
    path = tmp_path / "zeiten.csv"
    path.write_bytes(newline.join(rows).encode() + newline.encode())
    assert read_ranges(path) == EXPECTED


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    """Excel's "Unicode text" export: UTF-16 with a BOM, tab separated."""
    text = "Start\tEnde\tTitel\r\n0:05\t0:42,5\tBegrüßung, kurz\r\n1:10\t1:52\tGrußwort „Lünen“\r\n"
    path = tmp_path / "zeiten.txt"
    path.write_bytes(text.encode("utf-16"))
    assert read_ranges(path) == EXPECTED


def test_excel_for_mac_csv_is_mac_roman_with_cr_line_ends(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)": `;`, CR line ends and the Mac OS Roman encoding."""
    text = "Start;Ende;Titel\r0:05;0:42,5;Begrüßung, kurz\r1:10;1:52;Grußwort „Lünen“\r"
    path = tmp_path / "zeiten.csv"
    path.write_bytes(text.encode("mac_roman"))
    assert read_ranges(path) == EXPECTED


def test_bytes_of_no_known_encoding_are_refused_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "zeiten.txt"
    path.write_bytes(b"0:05 - 0:10 Gru" + b"\x81" + "ß\n".encode("cp1252"))
    with pytest.raises(RangeError, match="0x81") as caught:
        read_ranges(path)
    assert caught.value.path == path


def office_file(*members: tuple[str, str]) -> bytes:
    """A zip as office programs save (.xlsx, .docx, .ods: zips of XML files)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("zeiten.xlsx", office_file(("xl/workbook.xml", "<w/>")), ["Excel", "save it as CSV"]),
        # saved as .xlsx, then renamed by hand: the content decides
        ("zeiten.csv", office_file(("xl/workbook.xml", "<w/>")), ["Excel", "save it as CSV"]),
        ("zeiten.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), ["Excel", "CSV"]),
        (
            "zeiten.ods",
            office_file(("mimetype", "application/vnd.oasis.opendocument.spreadsheet")),
            ["LibreOffice", "save it as CSV"],
        ),
        ("zeiten.docx", office_file(("word/document.xml", "<d/>")), ["Word", "plain text"]),
        ("zeiten.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", ["PDF", "plain text"]),
        # TextEdit on a Mac saves rich text unless told otherwise
        ("zeiten.rtf", b"{\\rtf1\\ansi 0:05 - 0:10 Begr\\'fc\\'dfung}", ["RTF", "Plain Text"]),
    ],
)
def test_office_documents_are_refused_naming_the_fix(
    tmp_path: Path, name: str, data: bytes, words: list[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(RangeError) as caught:
        read_specs(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: is ")
    assert all(word in message for word in words), message


def test_csv_detected_by_content_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "zeiten.txt"
    path.write_text("Start;Ende;Titel\n0:05;0:42,5;Begrüßung, kurz\n", encoding="utf-8")
    assert read_ranges(path) == EXPECTED[:1]
    assert looks_like_csv("0:05;0:10;Begrüßung\n")
    assert not looks_like_csv("0:05 - 0:12,5 Begrüßung; kurz\n")
    assert not looks_like_csv("# Start;Ende\n#cue-3\n")


def test_a_label_over_two_lines_of_a_cell_becomes_one_line() -> None:
    """Alt+Enter in an Excel cell: the label would break the chapter list and `ranges check`."""
    specs = parse_csv(
        'Start;Ende;Titel\r\n0:05;0:10;"Begrüßung\r\ndurch die Moderation"\r\n0:20;0:30;x\r\n',
        source="t.csv",
    )
    assert [(s.label, s.line) for s in specs] == [("Begrüßung durch die Moderation", 2), ("x", 4)]


def test_cue_selections_in_a_table() -> None:
    specs = parse_csv(
        "Start;Ende;Titel\n#cue-3..#cue-5 +0,5s;;Neue Wege\n„Straße“;;\n00:01:00:12;00:01:02:00;\n",
        source="t.csv",
    )
    assert [(s.what, s.label, s.line) for s in specs] == [
        (CueSpan(CueId("cue-3"), CueId("cue-5"), 500, 500), "Neue Wege", 2),
        (CueSpan(Phrase("Straße")), "", 3),
        (specs[2].what, "", 4),
    ]
    assert isinstance(specs[2].what, TimeSpan)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Start;Ende;Notiz\n0:05;0:10;x\n", 1, "unknown column 'Notiz'"),
        ("Start;Start\n", 1, "two start columns"),
        ("Titel;Notiz\n", 1, "unknown column 'Notiz'"),
        ("Start;Ende;Titel\n0:05;0:10;a;b\n", 2, "cell 4 ('b') is in no column"),
        ("Start;Ende\n0:05;0:1x\n", 2, "cannot read the time '0:1x'"),
        ("Start;Ende\n0:05;\n", 2, "the end is missing"),
        ("Start;Ende\n\n0:10;0:05\n", 3, "before it starts"),
        ("Start;Ende\n#cue-1;#cue-2\n", 2, "the end column must stay empty"),
        ("Start;Ende;Titel\n#cue-1 Titel;;Noch einer\n", 2, "two labels"),
        ("Start;Ende;Titel\n", None, "the table has no rows"),
        ('Start,Ende\n"0:05,0:10\n', 2, "cannot read"),
        # the table's own quoting ate the phrase's "…": say which quotes work in a table
        ('Start;Ende;Titel\n"neue Wege" +1s;;Zitat\n', 2, "„neue Wege“"),
    ],
)
def test_table_errors_name_the_line(
    tmp_path: Path, text: str, line: int | None, words: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RangeError) as info:
        read_specs(path)
    assert info.value.line == line, str(info.value)
    assert words in str(info.value)
    assert str(info.value).startswith(str(path))


cells = st.text(alphabet=st.sampled_from('0123456789:;,."\t #„“äöüßab-+s\n'), max_size=80)


@given(cells)
def test_garbage_tables_raise_only_range_error(text: str) -> None:
    with contextlib.suppress(RangeError):
        parse_csv(text, source="müll.csv")


@given(st.text(max_size=120))
def test_any_text_as_a_table_raises_only_range_error(text: str) -> None:
    with contextlib.suppress(RangeError):
        parse_csv(text, source="müll.csv")


@settings(max_examples=60)
@given(st.binary(max_size=200), st.sampled_from([".csv", ".txt", ".ranges"]))
def test_any_bytes_in_a_ranges_file_raise_only_range_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"liste{suffix}"
        path.write_bytes(data)
        with contextlib.suppress(RangeError):
            read_specs(path)
