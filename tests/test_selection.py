"""Resolving ranges: cue ids, spans, phrases, padding and frame timecodes become times."""

from __future__ import annotations

import unicodedata
from fractions import Fraction
from textwrap import dedent

import pytest

from clipper.errors import RangeError
from clipper.ranges.checks import fit_to_duration
from clipper.ranges.grammar import Range, parse_options, parse_specs
from clipper.ranges.selection import describe, resolve, shorten
from clipper.subtitles.model import Cue
from clipper.timecode import TimecodeError, frame_timecode_ms

CUES = [
    Cue(1_000, 3_000, "<v Anna Müller>Herzlich willkommen zur Förderübergabe.</v>", id="cue-1"),
    Cue(3_500, 6_000, "<v Anna Müller>Wir gehen heute neue Wege,</v>", id="cue-2"),
    Cue(6_000, 9_000, "<v Bernd Groß>und die Straße ist lang.</v>", id="cue-3"),
    Cue(10_000, 12_000, "<v Bernd Groß>Neue   Wege sind gut &amp; richtig.</v>", id="cue-4"),
    Cue(12_500, 15_000, "Das geht’s weiter, sagt die Bürgermeisterin", id="cue-5"),
]


def select(text: str, cues: list[Cue] | None = CUES, **kw: object) -> list[Range]:
    specs = parse_specs(dedent(text), source="r.txt")
    return resolve(specs, source="r.txt", cues=cues, **kw).ranges  # type: ignore[arg-type]


def error(text: str, cues: list[Cue] | None = CUES, **kw: object) -> str:
    with pytest.raises(RangeError) as info:
        select(text, cues, **kw)
    return str(info.value)


def test_ids_spans_and_phrases_become_times() -> None:
    ranges = select(
        """\
        #cue-1  Begrüßung
        "gehen heute" +0.5s
        #cue-4..#cue-5 -0.25s/+1s Schluss
        """
    )
    assert ranges == [
        Range(1_000, 3_000, "Begrüßung", 1),
        Range(3_000, 6_500, "Wir gehen heute neue Wege,", 2),
        Range(9_750, 16_000, "Schluss", 3),
    ]


@pytest.mark.parametrize(
    ("phrase", "span"),
    [
        ('"STRASSE ist"', (6_000, 9_000)),  # case folded: ß = ss
        ('"gut & richtig"', (10_000, 12_000)),  # entities decoded, spaces normalized
        ("„geht's weiter“", (12_500, 15_000)),  # German quotes, either apostrophe
        ('"neue Wege, und die Straße"', (3_500, 9_000)),  # across two adjacent cues
        ('"Förderübergabe"..#cue-2', (1_000, 6_000)),
        ('"Fo\u0308rderu\u0308bergabe"', (1_000, 3_000)),  # umlauts decomposed (macOS)
    ],
)
def test_phrases_match_like_a_reader_would(phrase: str, span: tuple[int, int]) -> None:
    (r,) = select(phrase + "\n")
    assert (r.start_ms, r.end_ms) == span


def test_phrases_match_whatever_the_unicode_normalization() -> None:
    """macOS writes umlauts decomposed (u + combining diaeresis, NFD); Windows composed (NFC).
    Both look the same on screen, so both must find the same cue, either way round."""
    nfd = unicodedata.normalize("NFD", '"Förderübergabe"\n')
    assert nfd != unicodedata.normalize("NFC", nfd)
    (r,) = select(nfd)
    assert (r.start_ms, r.end_ms) == (1_000, 3_000)
    decomposed = [Cue(0, 2_000, unicodedata.normalize("NFD", "Grüße aus Lünen"), id="a")]
    (r,) = select('"grüsse aus lünen"\n', decomposed)
    assert (r.start_ms, r.end_ms) == (0, 2_000)


def test_ambiguous_phrase_lists_the_candidates() -> None:
    message = error('"neue wege"\n')
    assert message == (
        'r.txt, line 1: "neue wege" is in 2 places: #cue-2 at 00:00:03.500, '
        "#cue-4 at 00:00:10.000 (quote more of the sentence, or name the cue by its id)"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"alte Wege"', ['no cue contains "alte Wege"', "--grep alte"]),
        ("#cue-9", ["there is no cue #cue-9", "did you mean #cue-", "#cue-1 to #cue-5"]),
        ("#cue-3..#cue-1", ["ends at #cue-1, which comes before #cue-3"]),
        ("#cue-2 +1s\n#cue-3 +1s", ["lines 1 and 2 overlap", "select the cues together"]),
    ],
)
def test_selection_errors_name_line_and_fix(text: str, words: list[str]) -> None:
    message = error(text + "\n")
    assert message.startswith("r.txt, line ")
    for word in words:
        assert word in message


def test_cue_selection_without_transcript_asks_for_it() -> None:
    assert "give the recording's transcript with --transcript" in error("#cue-1\n", None)


def test_cues_without_ids_are_numbered_from_one() -> None:
    cues = [Cue(0, 1_000, "eins"), Cue(1_000, 2_000, "zwei"), Cue(2_000, 3_000, "drei", id="x")]
    assert select("#2\n", cues)[0].start_ms == 1_000
    assert "no cue #3" in error("#3\n", cues)  # the third cue has an id: #x


def test_a_number_that_is_an_id_and_a_position_is_refused_not_guessed() -> None:
    """A cue added by hand without an id, in a transcript numbered 1, 2, 3...: `clipper
    transcript` lists it as #2, like the cue whose id is 2. Either guess could be wrong."""
    cues = [
        Cue(0, 1_000, "Guten Tag", id="1"),
        Cue(1_000, 2_000, "Nachgetragen: Grüße aus Lünen"),
        Cue(2_000, 3_000, "Wir gehen neue Wege", id="2"),
    ]
    message = error("#2\n", cues)
    assert "#2 is the cue with id 2 (00:00:02.000) and cue number 2, which has no id" in message
    assert "select it by a quoted phrase" in message
    assert select("#1\n", cues)[0].start_ms == 0  # no cue without an id is first


def test_duplicate_ids_are_refused_not_guessed() -> None:
    cues = [Cue(0, 1_000, "a", id="1"), Cue(1_000, 2_000, "b", id="1")]
    assert "two or more cues have the id '1'" in error("#1\n", cues)


def test_padding_is_clamped_at_the_ends_and_noted() -> None:
    selection = resolve(parse_specs("#cue-1 +2s\n#cue-5 +2s\n"), cues=CUES, duration_ms=15_500)
    assert [(r.start_ms, r.end_ms) for r in selection.ranges] == [(0, 5_000), (10_500, 15_500)]
    assert [str(note) for note in selection.notes] == [
        "line 1: padding clamped at the recording's start",
        "line 2: padding clamped at the recording's end",
    ]


def test_notes_about_range_options_name_the_option() -> None:
    """`cut --range ...` has no lines: its notes say which option, as its errors do."""
    selection = resolve(parse_options(["#cue-1 +2s", "0:10 - 0:16,2"]), source="--range", cues=CUES)
    _, notes = fit_to_duration(selection.ranges, 16_000, source="--range")
    assert [str(note) for note in selection.notes + notes] == [
        "--range 1: padding clamped at the recording's start",
        "--range 2: end 00:00:16.200 is past the recording's end; cut to the end (00:00:16.000)",
    ]


def test_label_defaults_to_the_cue_text_shortened() -> None:
    long = Cue(0, 1_000, "Wir " + "sprechen über die Verwaltungsdigitalisierung " * 3)
    (r,) = select("#1\n", [long])
    assert r.label.endswith("…") and len(r.label) <= 60
    assert shorten("kurz") == "kurz"


def test_describe_shows_cues_and_total() -> None:
    selection = resolve(parse_specs("0:00 - 0:01 Vorspann\n#cue-2..#cue-3 +0.5s\n"), cues=CUES)
    lines = describe(selection)
    assert "[#cue-2..#cue-3, padded]" in lines[2]
    assert lines[-1] == "Total: 00:00:07.500 in 2 ranges"


# Frame timecodes

FPS_NTSC = Fraction(30000, 1001)


@pytest.mark.parametrize(
    ("code", "fps", "ms"),
    [
        ("00:00:01:00", Fraction(25), 1_000),
        ("00:01:02:12", Fraction(25), 62_480),
        ("01:00:00:00", Fraction(25), 3_600_000),
        ("00:00:00:15", Fraction(30), 500),
        ("00:01:00:00", FPS_NTSC, 60_060),  # non-drop counts frames: 1800 frames
        ("00:01:00;02", FPS_NTSC, 60_060),  # drop-frame: the first label of minute 1
        ("00:10:00;00", FPS_NTSC, 599_999),  # 17982 frames: 599.9994 s
        ("01:00:00;00", FPS_NTSC, 3_599_996),  # drop-frame stays within 4 ms an hour
        ("00:00:01:12", Fraction(24000, 1001), 1_502),
        ("00:01:00;04", Fraction(60000, 1001), 60_060),
    ],
)
def test_frame_timecodes(code: str, fps: Fraction, ms: int) -> None:
    assert frame_timecode_ms(code, fps) == ms


@pytest.mark.parametrize(
    ("code", "fps", "words"),
    [
        ("00:00:01:25", Fraction(25), "frame 25 in '00:00:01:25' does not exist at 25 fps"),
        ("00:00:01:30", FPS_NTSC, "at 29.97 fps (frames 00 to 29)"),
        ("00:00:01;00", Fraction(25), "exists only at 29.97 and 59.94 fps"),
        ("00:01:00;01", FPS_NTSC, "does not exist in drop-frame timecode"),
        ("00:61:00:00", Fraction(25), "over 59"),
    ],
)
def test_frame_timecode_errors(code: str, fps: Fraction, words: str) -> None:
    with pytest.raises(TimecodeError, match=words.replace("(", r"\(").replace(")", r"\)")):
        frame_timecode_ms(code, fps)


def test_frame_timecodes_in_a_list_need_the_frame_rate() -> None:
    text = "00:00:01:00 - 00:00:02:12 Anfang\n"
    assert select(text, None, frame_rate=Fraction(25)) == [Range(1_000, 2_480, "Anfang", 1)]
    assert "needs the recording's frame rate (give the recording with --source" in error(text)
    assert "line 1: frame 30" in error("00:00:01:30 - 00:00:02:00\n", frame_rate=Fraction(25))
    assert "before it starts" in error("00:00:02:00 - 00:00:01:00\n", frame_rate=Fraction(25))
