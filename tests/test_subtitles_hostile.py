"""Hostile cue text: tags that never close, entities in speaker names, decomposed umlauts.

A transcript is user input; a cue of 100,000 `<` must not stall reading, checking or
publishing. These tests check the results on inputs large enough that a quadratic pattern
would take minutes (wall-clock is not asserted: a regression shows as a stalled test).
"""

from __future__ import annotations

import pytest

from clipper.site.captions import with_speaker_names
from clipper.subtitles.model import Cue
from clipper.subtitles.srt import vtt_to_srt_text

N = 100_000

HOSTILE = {
    "lauter <": "<" * N,
    "<v ohne >": "<v" * N,
    "Sprecher ohne >": "<v a " * (N // 5),
    "Zeitmarken ohne >": "<0" * N,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_unclosed_tags_are_read_in_linear_time(text: str) -> None:
    cue = Cue(0, 1000, text)
    assert cue.plain_text == " ".join(text.split())  # no tag closes: nothing is removed
    assert cue.voice is None
    assert with_speaker_names([cue]) == [cue]
    assert vtt_to_srt_text(text) == text


def test_tags_are_still_removed_around_hostile_text() -> None:
    cue = Cue(0, 1000, "<v Anna Berger>" + "<" * N + "<i>Grüße</i>")
    assert cue.voice == "Anna Berger"
    assert cue.plain_text.endswith("Grüße")


def test_speaker_names_with_entities_are_decoded_once() -> None:
    cues = [
        Cue(0, 1000, "<v Müller &amp; Söhne>Guten Tag & willkommen.</v>"),
        Cue(1000, 2000, "<v Müller &amp; Söhne>Weiter.</v>"),
    ]
    assert cues[0].voice == "Müller & Söhne"
    named = with_speaker_names(cues)
    assert named[0].text == "<v Müller &amp; Söhne>Müller &amp; Söhne: Guten Tag & willkommen.</v>"
    assert named[1].text == cues[1].text


def test_a_speaker_written_in_nfd_and_nfc_is_one_speaker() -> None:
    nfd = "Ju\u0308rgen Groß"  # macOS tools write umlauts decomposed
    cues = [Cue(0, 1000, f"<v {nfd}>Guten Tag."), Cue(1000, 2000, "<v Jürgen Groß>Weiter.")]
    assert [c.voice for c in cues] == ["Jürgen Groß", "Jürgen Groß"]
    assert cues[0].plain_text == "Guten Tag."
    named = with_speaker_names(cues)
    assert named[1].text == "<v Jürgen Groß>Weiter."  # same speaker: not named again
