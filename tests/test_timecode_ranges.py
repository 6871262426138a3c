from __future__ import annotations

import contextlib
from fractions import Fraction
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clipper.errors import RangeError
from clipper.media.probe import MediaInfo
from clipper.media.report import probe_report
from clipper.ranges.checks import fit_to_duration
from clipper.ranges.grammar import Range
from clipper.ranges.read import parse_ranges, read_ranges
from clipper.timecode import TimecodeError, format_time, parse_time


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("01:02:03.456", 3_723_456),
        ("1:02:03", 3_723_000),
        ("02:03.5", 123_500),
        ("2:03,5", 123_500),  # German decimal comma
        ("0:05", 5_000),
        ("123.25", 123_250),
        ("90", 90_000),
        ("0:00:01.0005", 1_001),  # beyond ms: rounded half up
    ],
)
def test_parse_time(text: str, ms: int) -> None:
    assert parse_time(text) == ms


@pytest.mark.parametrize("text", ["1:60", "1:75:00", "abc", "1::2", "-5", "1:2:3:4", ""])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(TimecodeError):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("90s", "1:30"),
        ("1m30s", "1:30"),
        ("1 min 30 s", "1:30"),
        ("1h2m3,5s", "1:02:03,5"),
        ("2 Min.", "2:00"),
        ("45 Sek", "0:45"),
    ],
)
def test_times_with_units_are_refused_with_the_clock_form(text: str, written: str) -> None:
    """One way to write a time (as players show it); a time with units says how to write it."""
    with pytest.raises(TimecodeError) as info:
        parse_time(text)
    assert f"write {written} " in str(info.value)


@given(st.integers(min_value=0, max_value=10 * 3_600_000))
def test_format_then_parse_round_trips(ms: int) -> None:
    assert parse_time(format_time(ms)) == ms


def test_ranges_file_forms() -> None:
    text = dedent(
        """\
        # Zusammenfassung der Förderübergabe
        0:05 - 0:12,5   Begrüßung
        00:01:00.000 --> 00:01:30.000 Grußwort Lünen  # Kommentar
        2:00 – 2:10 Straße & Maß

        150-155
        """
    )
    assert parse_ranges(text) == [
        Range(5_000, 12_500, "Begrüßung", 2),
        Range(60_000, 90_000, "Grußwort Lünen", 3),
        Range(120_000, 130_000, "Straße & Maß", 4),
        Range(150_000, 155_000, "", 6),
    ]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("0:05 - 0:10\n0:xx - 0:20\n", 2, "cannot read"),
        ("0:05 - 0:70\n", 1, "seconds over 59"),
        ("1:61:00 - 2:00:00\n", 1, "minutes over 59"),
        ("0:10 - 0:05\n", 1, "before it starts"),
        ("0:10 - 0:10\n", 1, "empty"),
        ("0:05 - 0:20 a\n0:30 - 0:40 b\n0:15 - 0:25 c\n", 3, "lines 1 and 3 overlap"),
        ("# nur ein Kommentar\n\n", None, "empty"),
    ],
)
def test_range_errors_name_the_line(text: str, line: int | None, words: str) -> None:
    with pytest.raises(RangeError) as info:
        parse_ranges(text, source="liste.txt")
    assert info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith("liste.txt")


def test_the_length_probe_shows_is_the_length_ranges_are_checked_against() -> None:
    """A recording of 177.456969 s: `clipper probe` shows 00:02:57.457 (rounded half up), so an
    end typed as shown must not be called "past the recording's end"."""
    info = MediaInfo(
        path=Path("a.mp4"),
        container="mov,mp4,m4a,3gp,3g2,mj2",
        duration=Fraction(177_456_969, 1_000_000),
        start_time=Fraction(0),
        streams=[],
        keyframes=None,
        index_first=True,
        size_bytes=1,
    )
    assert "Duration:   00:02:57.457" in probe_report(info, details=True)
    fitted, notes = fit_to_duration([Range(0, parse_time("2:57.457"))], info.duration_ms)
    assert (fitted, notes) == ([Range(0, 177_457)], [])


def test_fit_to_duration_clamps_ends_within_a_second() -> None:
    ranges = parse_ranges("0:01 - 0:10.5\n")
    fitted, notes = fit_to_duration(ranges, 10_000)
    assert fitted[0].end_ms == 10_000
    assert "past the recording's end" in str(notes[0])


@pytest.mark.parametrize(
    ("text", "words"),
    [("0:11 - 0:12\n", "after the recording's end"), ("0:05 - 0:11.5\n", "more than a second")],
)
def test_fit_to_duration_rejects(text: str, words: str) -> None:
    with pytest.raises(RangeError, match=words):
        fit_to_duration(parse_ranges(text), 10_000, source="r.txt")


def test_read_ranges_decodes_bom_and_windows_1252(tmp_path: Path) -> None:
    utf8 = tmp_path / "a.txt"
    utf8.write_bytes("\ufeff0:01 - 0:02 Grüße\n".encode())
    cp1252 = tmp_path / "b.txt"
    cp1252.write_bytes("0:01 - 0:02 Grüße\n".encode("cp1252"))
    assert read_ranges(utf8)[0].label == "Grüße"
    assert read_ranges(cp1252)[0].label == "Grüße"


def test_read_ranges_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RangeError, match="not found"):
        read_ranges(tmp_path / "nope.txt")


times = st.integers(min_value=0, max_value=5 * 3_600_000)


@given(st.lists(st.tuples(times, st.integers(min_value=1, max_value=600_000)), max_size=8))
def test_parse_ranges_round_trips_non_overlapping(spans: list[tuple[int, int]]) -> None:
    ranges, at = [], 0
    for gap, length in spans:
        start = at + gap % 100_000
        ranges.append((start, start + length))
        at = start + length
    if not ranges:
        return
    text = "\n".join(
        f"{format_time(a)} - {format_time(b)} Teil {i}" for i, (a, b) in enumerate(ranges)
    )
    parsed = parse_ranges(text)
    assert [(r.start_ms, r.end_ms) for r in parsed] == ranges


@given(st.text(max_size=200))
def test_garbage_raises_only_range_error(text: str) -> None:
    with contextlib.suppress(RangeError):
        parse_ranges(text)
