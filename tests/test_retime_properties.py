"""Property tests for carrying cues over to a clip (clipper.subtitles.retime)."""

from __future__ import annotations

import contextlib
import re
import tempfile
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.errors import ClipperError
from clipper.subtitles import read_subtitles
from clipper.subtitles.model import Cue, unique_ids
from clipper.subtitles.retime import MIN_CUE_MS, Span, retime_cues
from clipper.subtitles.vtt import Track, format_vtt
from clipper.timecode import fraction_to_ms, ms_to_fraction

RATES = [Fraction(25), Fraction(30000, 1001), Fraction(24), Fraction(1000)]
words = st.text(alphabet=st.sampled_from("abcdefgäöüßÄÖÜ ,.!?-"), min_size=1, max_size=30)
texts = st.one_of(words, words.map(lambda w: f"<v Anna Müller>{w}</v>"))


@st.composite
def cue_lists(draw: st.DrawFn) -> list[Cue]:
    cues = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 60_000))
        length = draw(st.integers(0, 8_000))
        cue_id = draw(st.sampled_from(["", "1", "2", "cue-3", "cue-3-2", "Grüße"]))
        cues.append(Cue(start, start + length, draw(texts), id=cue_id, settings="line:80%"))
    return cues


@st.composite
def span_lists(draw: st.DrawFn) -> list[Span]:
    """Pieces of a cut, placed back to back, their edges on a frame grid."""
    fps = draw(st.sampled_from(RATES))
    spans, clip_at = [], Fraction(0)
    for _ in range(draw(st.integers(1, 5))):
        first = draw(st.integers(0, 70 * int(fps)))
        frames = draw(st.integers(1, 20 * int(fps)))
        start, end = first / fps, (first + frames) / fps
        spans.append(Span(start, end, clip_at))
        clip_at += end - start
    return spans


def windows(spans: list[Span]) -> list[tuple[int, int]]:
    return [
        (fraction_to_ms(s.clip_start), fraction_to_ms(s.clip_start + s.source_end - s.source_start))
        for s in spans
    ]


@given(cue_lists(), span_lists())
def test_retimed_cues_are_readable_ordered_and_within_the_clip(
    cues: list[Cue], spans: list[Span]
) -> None:
    out = retime_cues(cues, spans)
    assert out == sorted(out, key=lambda c: (c.start_ms, c.end_ms))
    ids = [c.id for c in out if c.id]
    assert len(ids) == len(set(ids))
    for cue in out:
        assert cue.duration_ms >= MIN_CUE_MS or any(
            c.text == cue.text and c.duration_ms < MIN_CUE_MS + 1 for c in cues
        )  # short only when the source cue was short and the cut left it whole
        assert any(a <= cue.start_ms and cue.end_ms <= b for a, b in windows(spans))
        # text, settings and (up to a -N suffix) the id come from one source cue, unchanged
        assert any(
            c.text == cue.text
            and c.settings == cue.settings
            and (cue.id == c.id or re.fullmatch(re.escape(c.id) + r"-\d+", cue.id))
            for c in cues
        )


@given(cue_lists(), span_lists())
def test_every_readable_overlap_is_kept(cues: list[Cue], spans: list[Span]) -> None:
    out = retime_cues(cues, spans)
    overlaps = [
        min(ms_to_fraction(c.end_ms), s.source_end)
        - max(ms_to_fraction(c.start_ms), s.source_start)
        for s in spans
        for c in cues
    ]
    # rounding moves each end by at most half a millisecond; a cue left whole is kept
    certain = sum(
        1
        for s in spans
        for c in cues
        if min(ms_to_fraction(c.end_ms), s.source_end)
        - max(ms_to_fraction(c.start_ms), s.source_start)
        >= Fraction(MIN_CUE_MS + 1, 1000)
        or (s.source_start <= ms_to_fraction(c.start_ms) < ms_to_fraction(c.end_ms) <= s.source_end)
    )
    possible = sum(1 for o in overlaps if o > 0)
    assert certain <= len(out) <= possible


@settings(max_examples=50)
@given(cue_lists(), span_lists())
def test_retimed_track_round_trips_through_webvtt(cues: list[Cue], spans: list[Span]) -> None:
    out = retime_cues(cues, spans)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clip.vtt"
        path.write_text(format_vtt(Track(cues=out)), encoding="utf-8")
        back = read_subtitles(path).cues
    assert [(c.start_ms, c.end_ms, c.id, c.text.strip(), c.settings) for c in back] == [
        (c.start_ms, c.end_ms, c.id, c.text.strip(), c.settings) for c in out
    ]


fractions = st.fractions(min_value=-1000, max_value=1000, max_denominator=30000)


@settings(suppress_health_check=[HealthCheck.too_slow])  # flaked on a busy machine
@given(
    cue_lists(),
    st.lists(st.builds(Span, fractions, fractions, fractions), max_size=6),
)
def test_garbage_spans_raise_nothing_but_clipper_errors(cues: list[Cue], spans: list[Span]) -> None:
    with contextlib.suppress(ClipperError):
        out = retime_cues(cues, spans)
        ids = [c.id for c in out if c.id]
        assert len(ids) == len(set(ids))


def retime_by_checking_every_cue(cues: list[Cue], spans: list[Span]) -> list[Cue]:
    """The rule in its plainest form (every cue against every span), to compare with."""
    out = []
    for span in spans:
        shift = span.clip_start - span.source_start
        # within a span, cues in source order (file order among equal starts): the order
        # that decides which of two cues with the same clip times gets the suffixed id
        for cue in sorted(cues, key=lambda c: c.start_ms):
            start = max(ms_to_fraction(cue.start_ms), span.source_start)
            end = min(ms_to_fraction(cue.end_ms), span.source_end)
            if end > start:
                a, b = fraction_to_ms(start + shift), fraction_to_ms(end + shift)
                whole = (start, end) == (ms_to_fraction(cue.start_ms), ms_to_fraction(cue.end_ms))
                if b - a >= MIN_CUE_MS or whole:
                    out.append(cue.shifted(a, b))
    out.sort(key=lambda c: (c.start_ms, c.end_ms))
    return unique_ids(out)


@given(cue_lists(), st.lists(st.builds(Span, fractions, fractions, fractions), max_size=6))
def test_retime_finds_the_same_cues_as_checking_every_cue(
    cues: list[Cue], spans: list[Span]
) -> None:
    assert retime_cues(cues, spans) == retime_by_checking_every_cue(cues, spans)


def test_a_ten_hour_transcript_is_retimed_by_looking_only_near_each_range() -> None:
    """50,000 cues, 20 ranges: checking every cue against every range took 15 s."""
    cues = [
        Cue(n * 720, n * 720 + 700, f"Satz {n} über Straßenbau", id=str(n)) for n in range(50_000)
    ]
    spans = [Span(Fraction(n * 1800), Fraction(n * 1800 + 30), Fraction(n * 30)) for n in range(20)]
    out = retime_cues(cues, spans)
    assert len(out) == 20 * 42
    assert out[0].text == "Satz 0 über Straßenbau"
    assert out[-1].end_ms == 600_000
