"""`clipper transcribe` on German speech whose exact text is known (espeak-ng, demo voices),
with the real engine (faster-whisper, the bundled Whisper base, int8 on CPU).

Measured: word error rate against the script, the caption rules on the output as clipper's
own strict reader reads it, the markings of an automatic transcript, event.toml, refusals
(tree unchanged, one line), and resuming after an interruption.
"""

from __future__ import annotations

import json
import sys
import tomllib
import wave
from pathlib import Path
from textwrap import dedent

import pytest

from clipper.archive.event import load_event
from clipper.demo import script, speech
from clipper.media.ffmpeg import media_url, run_ffmpeg
from clipper.subtitles.read import read_subtitles
from clipper.transcribe import cues as rules
from clipper.transcribe.run import Options, transcribe_file
from tests.clirun import one_line_error, run
from tests.tree import leftovers, tree_hashes
from tests.wer import wer

pytestmark = pytest.mark.slow

LINES = script.LINES[:3]
PAUSE_AFTER = 1  # a long silence after the second line: no cue may span it
PAUSE_MS = 3_000
MAX_WER = 0.5  # base on the shipped espeak sample: measured 0.46 (decoding is deterministic)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _own_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


SAMPLE = Path(__file__).parent / "data" / "sprache-de.m4a"  # made by make_sample() below


def make_sample(recording: Path) -> tuple[str, tuple[int, int]]:
    """An AAC recording of three demo lines (espeak-ng), its text, and the long pause.

    espeak-ng's output varies a little from run to run, and so would the word error rate:
    the test uses the copy made once with this function (`python tests/test_transcribe.py`),
    shipped in tests/data, so that its measurements are the same on every run."""
    pcm = [speech.synthesize(line.text, line.speaker.voice) for line in LINES]
    rate = speech.SAMPLE_RATE
    clock, pause = 1_000, (0, 0)
    placed = []
    for index, data in enumerate(pcm):
        placed.append((clock, data))
        clock += speech.samples_to_ms(data)
        if index == PAUSE_AFTER:
            pause = (clock, clock + PAUSE_MS)
            clock += PAUSE_MS
        else:
            clock += 600
    track = bytearray(2 * ((clock + 800) * rate // 1000))
    for start, data in placed:
        at = 2 * (start * rate // 1000)
        track[at : at + len(data)] = data
    wav = recording.with_suffix(".wav")
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(track))
    run_ffmpeg(["-i", media_url(wav), "-c:a", "aac", "-b:a", "64k", "-y", media_url(recording)])
    wav.unlink()
    return " ".join(line.text for line in LINES), pause


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, tuple[int, int]]:
    """The shipped sample, copied (commands must never touch tests/data), its text, and
    the long pause [start, end)."""
    folder = tmp_path_factory.mktemp("speech")
    recording = folder / "aufzeichnung.m4a"
    recording.write_bytes(SAMPLE.read_bytes())
    facts = json.loads(SAMPLE.with_suffix(".json").read_text(encoding="utf-8"))
    assert facts["text"] == " ".join(line.text for line in LINES), "remake the sample"
    return recording, facts["text"], (facts["pause_ms"][0], facts["pause_ms"][1])


def check_transcript(
    path: Path, text: str, pause: tuple[int, int], max_wer: float = MAX_WER
) -> str:
    track = read_subtitles(path)  # strict: any cue a browser would skip is an error
    assert any("automatisch" in note.lower() for note in track.notes)
    assert (
        path.read_text(encoding="utf-8")
        .splitlines()[2]
        .startswith("NOTE Automatisch erstellt, ungeprüft")
    )
    heard = " ".join(c.plain_text for c in track.cues)
    assert wer(text, heard) <= max_wer, heard
    for index, cue in enumerate(track.cues):
        lines = cue.text.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue
        assert cue.duration_ms <= 7_000, cue
        following = track.cues[index + 1].start_ms if index + 1 < len(track.cues) else None
        if cue.end_ms != following:
            assert cue.duration_ms >= 1_000, cue
            assert len(cue.plain_text) * 1000 / cue.duration_ms <= rules.MAX_CPS + 0.01, cue
        assert not (cue.start_ms < pause[0] + 500 and cue.end_ms > pause[1] - 500), cue
    return heard


def test_a_recording_gets_readable_marked_captions(spoken, tmp_path: Path) -> None:
    recording, text, pause = spoken
    out = tmp_path / "untertitel.vtt"
    result = run("transcribe", recording, "-o", out)
    assert result.exit_code == 0, result.output
    check_transcript(out, text, pause)
    assert "Transcript written" in result.output
    assert leftovers(tmp_path) == []

    # never overwritten unasked: refused before any work, nothing changed
    before = tree_hashes(tmp_path)
    one_line_error(run("transcribe", recording, "-o", out), "exists already", "--replace")
    assert tree_hashes(tmp_path) == before


def test_without_the_extra_one_line_says_what_to_install(
    spoken, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording, _, _ = spoken
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # import fails
    before = tree_hashes(recording.parent)
    result = run("transcribe", recording, "-o", tmp_path / "x.vtt")
    one_line_error(result, 'pip install "clipper[transcribe]"')
    assert tree_hashes(recording.parent) == before
    assert not (tmp_path / "x.vtt").exists()


EVENT_TOML = dedent('''\
    # Feierstunde: von Hand angelegt
    title = "Förderbescheid für das Verwaltungsrebellen-Labor"  # Titel der Seite
    date = 2020-09-17
    recording = "aufzeichnung.m4a"
    description = """
    Der Bürgermeister der Stadt Lünen und Frau Berger sprechen.
    """
    names = ["Anna Berger", "Martin Albers", "Lünen"]
    ''')


def test_an_event_gets_its_transcript_and_status(spoken, tmp_path: Path) -> None:
    recording, text, pause = spoken
    folder = tmp_path / "recordings" / "feierstunde"
    folder.mkdir(parents=True)
    (folder / "aufzeichnung.m4a").write_bytes(recording.read_bytes())
    (folder / "event.toml").write_text(EVENT_TOML, encoding="utf-8")

    result = run("transcribe", "feierstunde", "--project", tmp_path)
    assert result.exit_code == 0, result.output
    event = load_event(folder, tmp_path)
    assert event.transcript == folder / "aufzeichnung.de.vtt"
    assert event.transcript_status == "automatisch"
    new_text = (folder / "event.toml").read_text(encoding="utf-8")
    assert [line for line in new_text.splitlines() if "transcript" not in line] == (
        EVENT_TOML.splitlines()
    )
    heard = check_transcript(event.transcript, text, pause)
    assert "Verwaltungsrebellen-Labor" in heard  # the title went into the prompt

    # a second run is refused: the transcript, event.toml, everything stays
    before = tree_hashes(tmp_path)
    one_line_error(run("transcribe", folder), "has a transcript already", "--replace")
    assert tree_hashes(tmp_path) == before

    # publish's preflight names the unreviewed transcript; the page says so
    from clipper.site.texts import event_warnings

    assert any("not reviewed" in w for w in event_warnings(event))
    tomllib.loads(new_text)


def test_replace_keeps_the_old_transcript_and_an_interrupted_run_resumes(
    spoken, tmp_path: Path, cache: Path
) -> None:
    recording, text, pause = spoken
    out = tmp_path / "t.vtt"
    out.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nvon Hand\n", encoding="utf-8")
    old = out.read_bytes()
    calls: list[int] = []

    def counting(stop_at: int | None):  # type: ignore[no-untyped-def]
        from clipper.transcribe.run import _load_engine

        def load(choice, options):  # type: ignore[no-untyped-def]
            engine = _load_engine(choice, options)

            class Counting:
                label = engine.label

                def words(self, audio, *, offset_ms, progress=None):  # type: ignore[no-untyped-def]
                    calls.append(offset_ms)
                    if stop_at is not None and len(calls) == stop_at:
                        raise KeyboardInterrupt
                    return engine.words(audio, offset_ms=offset_ms, progress=progress)

            return Counting()

        return load

    options = Options(chunk_ms=12_000)  # 3 chunks of this recording
    with pytest.raises(KeyboardInterrupt):
        transcribe_file(recording, out, options, replace=True, cache=cache, load_engine=counting(2))
    assert out.read_bytes() == old and leftovers(tmp_path) == []
    first_try = len(calls)
    calls.clear()
    result = transcribe_file(
        recording, out, options, replace=True, cache=cache, load_engine=counting(None)
    )
    assert result.resumed_chunks == first_try - 1 >= 1
    assert calls and min(calls) > 0  # the first chunk was not recognised again
    assert result.kept == tmp_path / "t.alt.vtt" and result.kept.read_bytes() == old
    check_transcript(out, text, pause, max_wer=0.6)  # chunks of 12 s lose context
    assert not list((cache / "transcribe").iterdir())  # work files removed


if __name__ == "__main__":  # remake the shipped sample: python tests/test_transcribe.py
    text, pause = make_sample(SAMPLE)
    SAMPLE.with_suffix(".json").write_text(
        json.dumps({"text": text, "pause_ms": list(pause)}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
