"""The ranges grammar: times, frame timecodes, cue selections, padding, comments, --range."""

from __future__ import annotations

import contextlib
import re
from textwrap import dedent

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clipper.errors import ClipperError, RangeError, SourceLocation
from clipper.ranges.grammar import (
    CueId,
    CueSpan,
    FrameCode,
    Phrase,
    RangeSpec,
    TimeSpan,
    format_spec,
    parse_line,
    parse_options,
    parse_specs,
)


def test_a_list_mixing_every_form() -> None:
    text = dedent(
        """\
        # Zusammenfassung: Förderübergabe in Lünen
        ## Abschnitt 1
        0:05 - 0:12,5   Begrüßung
        00:01:02:12 - 00:01:30:00  Grußwort (Frames)
        #cue-12  Neue Wege  # Kommentar
        #cue-12..#cue-15 +0.5s
        #7 .. #9 -1s/+0,5s Straße & Maß, zweiter Teil
        "neue Wege" +500ms Ausblick
        „Größe zählt“ Zitat
        #a - "schöne Grüße"
        0:40 - 0:50 Punkt #3 bleibt im Titel
        """
    )
    specs = parse_specs(text, source="liste.txt")
    assert [(s.what, s.label, s.line) for s in specs] == [
        (TimeSpan(5_000, 12_500), "Begrüßung", 3),
        (TimeSpan(FrameCode("00:01:02:12"), FrameCode("00:01:30:00")), "Grußwort (Frames)", 4),
        (CueSpan(CueId("cue-12")), "Neue Wege", 5),
        (CueSpan(CueId("cue-12"), CueId("cue-15"), 500, 500), "", 6),
        (CueSpan(CueId("7"), CueId("9"), 1_000, 500), "Straße & Maß, zweiter Teil", 7),
        (CueSpan(Phrase("neue Wege"), None, 500, 500), "Ausblick", 8),
        (CueSpan(Phrase("Größe zählt")), "Zitat", 9),
        (CueSpan(CueId("a"), Phrase("schöne Grüße")), "", 10),
        (TimeSpan(40_000, 50_000), "Punkt #3 bleibt im Titel", 11),
    ]


def test_drop_frame_timecode_is_kept_as_written() -> None:
    spec = parse_line("00:10:00;02 - 00:10:05;00", at=SourceLocation("x", 1))
    assert spec is not None
    assert spec.what == TimeSpan(FrameCode("00:10:00;02"), FrameCode("00:10:05;00"))
    assert spec.needs_frame_rate and not spec.needs_transcript


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("#", None),  # a bare # is a comment
        ("#\tKommentar", None),
        ("   # eingerückt", None),
        ("#cue-1 +0.5", "cannot read the padding"),
        ("#cue-1 -1s", "cannot read the padding"),
        ('"neue Wege', "no closing quote"),
        ('"" Leer', "is empty"),
        ('"neue Wege"Ausblick', "put a space after"),
        ("0:05 - 0:7x", "cannot read"),
        ("0:10 - 0:05", "before it starts"),
        ("00:01:02:12", "cannot read"),
    ],
)
def test_line_forms_and_errors(text: str, words: str | None) -> None:
    if words is None:
        assert parse_line(text, at=SourceLocation("l.txt", 4)) is None
        return
    with pytest.raises(RangeError) as info:
        parse_line(text, at=SourceLocation("l.txt", 4))
    assert str(info.value).startswith("l.txt, line 4: ")
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("text", "what", "label"),
    [
        # Word and Outlook put no-break spaces (U+00A0, U+202F) between numbers and words
        ("0:05\u00a0-\u00a00:10\u00a0Begrüßung", TimeSpan(5_000, 10_000), "Begrüßung"),
        ("#cue-3\u00a0+0,5s\u00a0Begrüßung", CueSpan(CueId("cue-3"), None, 500, 500), "Begrüßung"),
        ("#cue-3\u202f+0,5s", CueSpan(CueId("cue-3"), None, 500, 500), ""),
        ("„neue Wege“\u00a0Zitat", CueSpan(Phrase("neue Wege")), "Zitat"),
        # dashes from other keyboards and word processors, and the German word
        ("0:05 \u2212 0:10", TimeSpan(5_000, 10_000), ""),  # minus sign
        ("0:05 \u2010 0:10", TimeSpan(5_000, 10_000), ""),  # hyphen
        ("0:05 \u2012 0:10", TimeSpan(5_000, 10_000), ""),  # figure dash
        ("0:05 bis 0:10 Grußwort", TimeSpan(5_000, 10_000), "Grußwort"),
        ("#cue-3 bis #cue-4", CueSpan(CueId("cue-3"), CueId("cue-4")), ""),
        ("#cue-3 \u2212 #cue-4 Dank", CueSpan(CueId("cue-3"), CueId("cue-4")), "Dank"),
    ],
)
def test_what_word_processors_and_people_type(text: str, what: object, label: str) -> None:
    spec = parse_line(text, at=SourceLocation("l.txt", 1))
    assert spec is not None
    assert (spec.what, spec.label) == (what, label)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # a second cue after the first is not a label: the span was meant
        ("#cue-3 #cue-4", "write #cue-3..#cue-4"),
        ('"neue Wege" "Ausblick" Zitat', None),  # a quoted label stays a label
        ("1m30s - 1m40s", "write 1:30 "),
        ("90s - 100s Begrüßung", "write 1:30 "),
        ("'neue Wege'", "a phrase in quotes"),
        ("Begrüßung 0:05 - 0:10", "start the line with a time"),
    ],
)
def test_near_misses_are_refused_with_the_fix(text: str, words: str | None) -> None:
    if words is None:
        assert parse_line(text, at=SourceLocation("l.txt", 2)) is not None
        return
    with pytest.raises(RangeError) as info:
        parse_line(text, at=SourceLocation("l.txt", 2))
    assert str(info.value).startswith("l.txt, line 2: ")
    assert words in str(info.value)


def test_range_options_name_the_option() -> None:
    specs = parse_options(["0:05-0:10 Begrüßung", "#cue-3 +0.5s"])
    assert [s.line for s in specs] == [1, 2]
    with pytest.raises(RangeError) as info:
        parse_options(["0:05-0:10", "0:20 - 0:1ö"])
    assert str(info.value).startswith("--range 2: cannot read")
    with pytest.raises(RangeError, match=r"--range 1: .*empty or a comment"):
        parse_options(["# nichts"])


def test_inline_ranges_can_start_later_in_a_file() -> None:
    specs = parse_specs("\n0:01 - 0:02\n", source="event.toml", first_line=12)
    assert specs[0].line == 13


# Property tests: what format_spec writes, parse_line reads back as the same spec.

words = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzäöüßÄÖÜ0123456789,.&()-!?é"),
    min_size=1,
    max_size=12,
)
labels = st.lists(words, max_size=5).map(" ".join)
clock = st.integers(min_value=0, max_value=20 * 3_600_000)
frame_codes = st.builds(
    lambda h, m, s, f, sep: FrameCode(f"{h:02d}:{m:02d}:{s:02d}{sep}{f:02d}"),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from(":;"),
)
cue_ids = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-_äöüß:#"),
    min_size=1,
    max_size=10,
).filter(lambda s: ".." not in s and not s.startswith("#") and not s.endswith("."))
phrases = st.lists(words.filter(lambda w: '"' not in w), min_size=1, max_size=4).map(" ".join)
picks = st.one_of(st.builds(CueId, cue_ids), st.builds(Phrase, phrases))
paddings = st.one_of(
    st.just((0, 0)),
    st.integers(1, 5_000).map(lambda ms: (ms, ms)),
    st.tuples(st.integers(0, 5_000), st.integers(0, 5_000)),
)


@st.composite
def specs(draw: st.DrawFn) -> RangeSpec:
    label = draw(labels)
    if draw(st.booleans()):
        a, b = sorted(draw(st.lists(clock, min_size=2, max_size=2, unique=True)))
        start = draw(st.one_of(st.just(a), frame_codes))
        end = draw(st.one_of(st.just(b), frame_codes))
        if isinstance(start, int) and isinstance(end, int):
            start, end = a, b
        return RangeSpec(TimeSpan(start, end), label, 1)
    # After a cue selection, `+1` or `-1` would be read as padding (and refused without a unit)
    label = draw(labels.filter(lambda t: not re.match(r"[+-]\d", t)))
    before, after = draw(paddings)
    last = draw(st.one_of(st.none(), picks))
    return RangeSpec(CueSpan(draw(picks), last, before, after), label, 1)


@given(specs())
def test_format_then_parse_round_trips(spec: RangeSpec) -> None:
    assert parse_line(format_spec(spec), at=SourceLocation("x", 1)) == spec


@given(st.lists(specs(), min_size=1, max_size=6))
def test_lists_round_trip_with_comments_between(many: list[RangeSpec]) -> None:
    text = "\n".join(f"# Teil {i}\n{format_spec(s)}  # Notiz" for i, s in enumerate(many))
    parsed = parse_specs(text)
    assert [(s.what, s.label) for s in parsed] == [(s.what, s.label) for s in many]
    assert [s.line for s in parsed] == [2 * i + 2 for i in range(len(many))]


ranges_alphabet = st.sampled_from('0123456789:;.,-–—>#"„“» +/smäöüßabc\t\n\ufeff')


@given(st.text(alphabet=ranges_alphabet, max_size=120))
def test_near_miss_garbage_raises_only_range_error(text: str) -> None:
    with contextlib.suppress(RangeError):
        parse_specs(text, source="müll.txt")


@pytest.mark.parametrize(
    "text", ["9" * 5000 + " - 1", "#1 +" + "9" * 5000 + "ms", "#1 +" + "9" * 5000 + "s"]
)
def test_huge_numbers_are_refused_clearly(text: str) -> None:
    with pytest.raises(RangeError, match="cannot read"):
        parse_specs(text, source="x")


@given(st.lists(st.text(max_size=40), max_size=4))
def test_garbage_options_raise_only_clipper_errors(values: list[str]) -> None:
    with contextlib.suppress(ClipperError):
        parse_options(values)
