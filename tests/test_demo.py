"""The demo event: script timing, transcript, event.toml, filter escaping, and one real build."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import numpy as np
import pytest
import webvtt

from clipper.archive.eventfile import event_toml
from clipper.demo import create_demo_event, files, picture, script, speech
from clipper.demo.build import RANGES, RECORDING
from clipper.demo.transcript import (
    LINE_WIDTH,
    MAX_LINES,
    apportion,
    make_cues,
    render_vtt,
    split_text,
)
from clipper.files.toml import toml_string
from clipper.media.ffmpeg import run_ffmpeg
from clipper.ranges.read import parse_ranges
from clipper.settings import load_settings
from clipper.timecode import parse_time

EVENT = Path("recordings") / script.SLUG
TRANSCRIPT = Path("transcripts") / f"{script.SLUG}.de.vtt"


def laid_out() -> list[script.Utterance]:
    """The whole script timed as the tone stand-in would be (no audio needed)."""
    return script.lay_out(script.LINES, [script.estimate_ms(line.text) for line in script.LINES])


# --- script timing -------------------------------------------------------------------------


def test_lay_out_places_lines_with_pauses() -> None:
    lines = script.LINES[:4]  # moderation, moderation, Lünen, Lünen
    utterances = script.lay_out(lines, [3000, 4000, 5000, 1000])
    assert [(u.start_ms, u.end_ms) for u in utterances] == [
        (1200, 4200),
        (4650, 8650),
        (9400, 14400),
        (14850, 15850),
    ]
    assert script.recording_ms(utterances) == 15850 + script.TAIL_MS


def test_lay_out_rejects_missing_durations() -> None:
    with pytest.raises(ValueError):
        script.lay_out(script.LINES[:2], [1000])
    with pytest.raises(ValueError):
        script.lay_out(script.LINES[:1], [0])


def test_full_script_is_about_three_minutes_with_everyone_speaking() -> None:
    utterances = laid_out()
    assert 150_000 <= script.recording_ms(utterances) <= 210_000
    per_speaker = {s: sum(u.line.speaker == s for u in utterances) for s in script.SPEAKERS}
    assert per_speaker[script.MODERATION] >= 3
    assert all(2 <= n <= 3 for s, n in per_speaker.items() if s != script.MODERATION)
    assert utterances[0].line.speaker == utterances[-1].line.speaker == script.MODERATION


def test_truncate_keeps_lines_ending_within_the_limit() -> None:
    utterances = script.lay_out(script.LINES[:4], [3000, 4000, 5000, 1000])
    assert [u.index for u in script.truncate(utterances, 10)] == [0, 1]
    assert [u.index for u in script.truncate(utterances, 1)] == [0]  # never empty
    assert script.truncate(utterances, None) == utterances


def test_speaker_spans_switch_when_the_next_person_starts() -> None:
    utterances = script.lay_out(script.LINES[:4], [3000, 4000, 5000, 1000])
    spans = script.speaker_spans(utterances, 20_000)
    assert spans == [(script.MODERATION, 1200, 9400), (script.LUENEN, 9400, 20_000)]


def test_summary_ranges_follow_utterances() -> None:
    utterances = laid_out()
    total = script.recording_ms(utterances)
    ranges = script.summary_ranges(utterances, total)
    assert 4 <= len(ranges) <= 5
    starts = {u.start_ms for u in utterances}
    ends = {u.end_ms for u in utterances}
    for r in ranges:
        assert r.start_ms + script.RANGE_LEAD_MS in starts
        assert r.end_ms - script.RANGE_TAIL_MS in ends
        assert 10_000 <= r.end_ms - r.start_ms <= 30_000
    assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(ranges))
    assert 60_000 <= sum(r.end_ms - r.start_ms for r in ranges) <= 95_000


def test_summary_keeps_two_ranges_when_shortened() -> None:
    utterances = script.truncate(laid_out(), 1)
    total = script.recording_ms(utterances)
    cues = make_cues(utterances)
    ranges = script.summary_ranges(utterances, total, [(c.start_ms, c.end_ms) for c in cues])
    assert len(ranges) == 2
    assert ranges[0].end_ms <= ranges[1].start_ms
    assert ranges[0].start_ms >= 0 and ranges[1].end_ms <= total


# --- transcript ----------------------------------------------------------------------------


def test_split_text_keeps_every_word_and_fits_two_lines() -> None:
    for line in script.LINES:
        chunks = split_text(line.text)
        assert " ".join(chunks) == line.text
        for chunk in chunks:
            assert len(chunk) <= MAX_LINES * LINE_WIDTH


def test_split_text_breaks_an_endless_clause_between_words() -> None:
    text = " ".join(["Verwaltung"] * 30)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert " ".join(chunks) == text


def test_apportion_is_contiguous_and_exact() -> None:
    bounds = apportion(1000, 4001, ["aa", "a", "aaaa"])
    assert bounds[0][0] == 1000 and bounds[-1][1] == 4001
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    assert bounds[0] == (1000, 1857)


def test_cues_cover_each_utterance_exactly() -> None:
    utterances = laid_out()
    cues = make_cues(utterances)
    assert [c.id for c in cues] == [f"cue-{i}" for i in range(1, len(cues) + 1)]
    for u in utterances:
        own = [c for c in cues if u.start_ms <= c.start_ms and c.end_ms <= u.end_ms]
        assert own[0].start_ms == u.start_ms
        assert own[-1].end_ms == u.end_ms
        assert all(a.end_ms == b.start_ms for a, b in itertools.pairwise(own))
        assert " ".join(c.text for c in own) == u.line.text
        assert {c.speaker for c in own} == {u.line.speaker.name}
    for cue in cues:
        assert 1 <= len(cue.lines) <= MAX_LINES
        assert all(len(line) <= LINE_WIDTH for line in cue.lines)


def test_vtt_has_ids_voices_and_parses() -> None:
    cues = make_cues(laid_out())
    text = render_vtt(cues, note="Töne statt Sprache --> nur ein Test")
    assert text.startswith("WEBVTT\n\nNOTE Töne statt Sprache -> nur ein Test\n\ncue-1\n")
    parsed = webvtt.from_string(text)
    assert len(parsed.captions) == len(cues)
    assert [c.identifier for c in parsed.captions] == [c.id for c in cues]
    first = parsed.captions[0]
    assert first.start == "00:00:01.200"
    assert first.raw_text.startswith("<v Anna Berger>")
    names = {m for m in re.findall(r"<v ([^>]+)>", text)}
    assert names == {s.name for s in script.SPEAKERS}


# --- files ---------------------------------------------------------------------------------


def test_event_toml_round_trips_through_tomllib() -> None:
    tricky = 'Zitat: "Hallo" \\ C:\\Pfad """ drei\tTab \x01 ünd „Anführung“\r\nEnde\n'
    text = event_toml(
        title='Förderbescheid "Labor"',
        date=dt.date(2020, 9, 17),
        language="de",
        recording=RECORDING,
        transcript="transcripts/x.de.vtt",
        description=tricky,
        credits=script.CREDITS,
        clips=[("Zusammenfassung", RANGES)],
    )
    data = tomllib.loads(text)
    assert data["title"] == 'Förderbescheid "Labor"'
    assert data["date"] == dt.date(2020, 9, 17)
    assert data["description"] == tricky
    assert data["credits"] == script.CREDITS
    assert data["clips"] == [{"title": "Zusammenfassung", "ranges": RANGES}]


@pytest.mark.parametrize("value", ["", "a", '"', "\\", '"""', 'x""', "\n", "\u007f", "ä\u2028"])
def test_toml_string_escapes_anything(value: str) -> None:
    for multiline in (False, True):
        assert tomllib.loads(f"v = {toml_string(value, multiline=multiline)}")["v"] == value


def test_ranges_text_is_readable_by_the_ranges_parser() -> None:
    ranges = [
        script.SummaryRange(1000, 21_006, "Begrüßung #1"),
        script.SummaryRange(61_000, 75_500, "B"),
    ]
    text = files.ranges_text(ranges, "Zusammenfassung")
    assert text.splitlines()[1] == "00:01.000 - 00:21.006  Begrüßung Nr.1"
    parsed = parse_ranges(text)
    assert [(r.start_ms, r.end_ms) for r in parsed] == [(1000, 21_006), (61_000, 75_500)]


# --- filter escaping -----------------------------------------------------------------------


def test_filter_path_escapes_windows_paths() -> None:
    assert picture.filter_path(PureWindowsPath(r"C:\Fonts\DejaVu Sans.ttf")) == (
        r"C\\:/Fonts/DejaVu Sans.ttf"
    )
    assert picture.filter_path(r"C:\Fonts\a.ttf") == r"C\\:\\\\Fonts\\\\a.ttf"
    assert picture.filter_path(PurePosixPath("/srv/it's,[x];y.ttf")) == (
        r"/srv/it\\\'s\,\[x\]\;y.ttf"
    )


def test_filter_value_escapes_both_levels() -> None:
    assert picture.escape_option("a:b'c\\") == "a\\:b\\'c\\\\"
    assert picture.escape_graph("f(a,b);[x]") == "f(a\\,b)\\;\\[x\\]"


@pytest.mark.skipif(sys.platform == "win32", reason="':' is not allowed in Windows file names")
def test_drawtext_reads_a_font_from_an_awkward_folder(tmp_path: Path) -> None:
    folder = tmp_path / "it's a:b,c[d];e"
    folder.mkdir()
    font = folder / "font.ttf"
    font.write_bytes(picture.FONT.read_bytes())
    text = picture.filter_value("Grüße: Jürgen's [Test], 100%")
    graph = (
        f"color=c=black:s=320x60:d=1,drawtext=fontfile={picture.filter_path(font)}:"
        f"text={text}:expansion=none:fontcolor=white[out]"
    )
    out = tmp_path / "frame.png"
    run_ffmpeg(["-filter_complex", graph, "-map", "[out]", "-frames:v", "1", str(out)])
    assert out.stat().st_size > 0


def test_gallery_graph_names_everyone() -> None:
    graph = picture.gallery_graph(script.SPEAKERS)
    for speaker in script.SPEAKERS:
        assert picture.filter_value(speaker.name) in graph
    assert graph.count("overlay=x=") == 4


# --- speech --------------------------------------------------------------------------------


def test_speech_gives_trimmed_distinct_voices() -> None:
    # espeakng-loader is a dependency: speech must work wherever clipper is installed
    a = speech.synthesize("Guten Tag.", script.MODERATION.voice)
    b = speech.synthesize("Guten Tag.", script.ESSEN.voice)
    assert 300 <= speech.samples_to_ms(a) <= 3000
    samples = np.frombuffer(a, dtype="<i2")
    assert abs(int(samples[0])) > speech.SILENCE_THRESHOLD
    assert abs(int(samples[-1])) > speech.SILENCE_THRESHOLD
    assert a != b


def test_speech_reports_a_missing_library(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_library() -> tuple[Any, str]:
        raise OSError("libespeak-ng.so: cannot open shared object file")

    monkeypatch.setattr(speech, "_open_library", no_library)
    with pytest.raises(speech.SpeechUnavailableError, match="cannot be loaded"):
        speech._engine.__wrapped__()


def test_tone_has_the_estimated_length() -> None:
    pcm = speech.tone(440, 1000)
    assert speech.samples_to_ms(pcm) == 1000
    assert np.abs(np.frombuffer(pcm, dtype="<i2")).max() > 8000


# --- the real thing ------------------------------------------------------------------------


@dataclass
class Built:
    project: Path
    messages: list[str]


class Recorder:
    """A reporter that keeps the stage messages and the last encoder progress."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.reached_ms = 0

    def step(self, message: str) -> None:
        self.messages.append(message)

    def media(self, label: str, total_ms: int) -> Callable[[int], None]:
        def update(done_ms: int) -> None:
            self.reached_ms = max(self.reached_ms, done_ms)

        return update


def build(project: Path, seconds: int) -> Built:
    recorder = Recorder()
    event_dir = create_demo_event(project, reporter=recorder, seconds_limit=seconds)
    assert recorder.reached_ms > 0  # the encoder reported progress
    messages = recorder.messages
    assert event_dir == project / EVENT
    return Built(project, messages)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("demo"), 20)


def decode_audio(path: Path) -> tuple[np.ndarray[Any, Any], int]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [f.to_ndarray().reshape(-1) for f in container.decode(stream)]
        return np.concatenate(chunks).astype(np.float64), stream.codec_context.sample_rate


def cue_times(project: Path) -> list[tuple[int, int]]:
    captions = webvtt.read(str(project / TRANSCRIPT)).captions
    return [(parse_time(c.start), parse_time(c.end)) for c in captions]


def test_demo_writes_the_event_files(demo: Built) -> None:
    event_dir = demo.project / EVENT
    assert sorted(p.name for p in event_dir.iterdir()) == sorted([RECORDING, "event.toml", RANGES])
    assert sorted(p.name for p in (demo.project / "transcripts").iterdir()) == [TRANSCRIPT.name]
    data = tomllib.loads((event_dir / "event.toml").read_text(encoding="utf-8"))
    assert data["date"] == dt.date(2020, 9, 17)
    assert data["recording"] == RECORDING
    assert (demo.project / data["transcript"]).is_file()
    assert "180.000 Euro" in data["description"] and "13" in data["description"]
    assert data["clips"][0]["ranges"] == RANGES
    assert any("Video" in m for m in demo.messages)
    # the optional accessible texts and the project settings, so the demo publishes cleanly
    assert "Leichte" not in data["plain_language"] and "Labor" in data["plain_language"]
    assert "Anna Berger, Moderation" in data["visual_description"]
    settings = load_settings(demo.project)
    assert settings.source == demo.project / "clipper.toml"
    assert settings.missing_legal_info() == []


def test_demo_recording_is_a_zoom_like_mp4(demo: Built) -> None:
    import av

    path = demo.project / EVENT / RECORDING
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0]
        assert video.codec_context.name == "h264"
        assert (video.codec_context.width, video.codec_context.height) == (1280, 720)
        assert video.average_rate == 25
        assert video.codec_context.pix_fmt == "yuv420p"
        assert audio.codec_context.name == "aac"
        assert audio.codec_context.sample_rate == 32000
        assert audio.codec_context.layout.nb_channels == 1
        assert container.duration is not None
        duration_ms = container.duration // 1000
    last_end = cue_times(demo.project)[-1][1]
    assert abs(duration_ms - last_end) <= 1000
    assert 10_000 <= duration_ms <= 21_000


def test_demo_audio_is_heard_during_cues(demo: Built) -> None:
    samples, rate = decode_audio(demo.project / EVENT / RECORDING)

    def rms(start_ms: int, end_ms: int) -> float:
        part = samples[start_ms * rate // 1000 : end_ms * rate // 1000]
        return float(np.sqrt(np.mean(part**2)))

    cues = cue_times(demo.project)
    for start, end in cues:
        assert rms(start + 20, end - 20) > 0.02, (start, end)
    assert rms(0, cues[0][0] - 100) < 0.002  # the lead-in is silent


def test_demo_highlights_the_speaker_from_the_first_word(demo: Built) -> None:
    import av

    first_start = cue_times(demo.project)[0][0]
    tile = picture.tiles()[0]  # moderation, top left
    x, y = tile.x + picture.TILE_W // 2, tile.y - 1
    lit: list[bool] = []
    with av.open(str(demo.project / EVENT / RECORDING)) as container:
        for n, frame in enumerate(container.decode(video=0)):
            if n > 40:
                break
            r, g, b = frame.to_ndarray(format="rgb24")[y, x].astype(int)
            lit.append(r > 180 and g > 160 and b < 120)
    first_lit = lit.index(True)
    assert first_lit == picture.first_frame(first_start)
    assert all(lit[first_lit:])


def test_demo_ranges_lie_inside_the_recording(demo: Built) -> None:
    import av

    text = (demo.project / EVENT / RANGES).read_text(encoding="utf-8")
    assert text.startswith("#")
    assert all(
        re.fullmatch(r"\d\d:\d\d\.\d{3} - \d\d:\d\d\.\d{3}  \S.*", line)
        for line in text.splitlines()[1:]
    )
    ranges = parse_ranges(text)
    with av.open(str(demo.project / EVENT / RECORDING)) as container:
        assert container.duration is not None
        duration_ms = container.duration // 1000
    assert len(ranges) >= 2
    assert all(0 <= r.start_ms < r.end_ms <= duration_ms for r in ranges)


def test_demo_without_espeak_uses_marked_tones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable() -> Any:
        raise speech.SpeechUnavailableError("espeak-ng cannot be loaded: test")

    monkeypatch.setattr(speech, "_engine", unavailable)
    built = build(tmp_path, 8)
    vtt = (tmp_path / TRANSCRIPT).read_text(encoding="utf-8")
    assert "\nNOTE " in vtt and "Sinustönen" in vtt
    data = tomllib.loads((tmp_path / EVENT / "event.toml").read_text(encoding="utf-8"))
    assert "Platzhalter aus Sinustönen" in data["description"]
    samples, rate = decode_audio(tmp_path / EVENT / RECORDING)
    start, end = cue_times(tmp_path)[0]
    part = samples[(start + 50) * rate // 1000 : (end - 50) * rate // 1000]
    assert float(np.sqrt(np.mean(part**2))) > 0.05
    assert any("Töne" in m for m in built.messages)


def test_demo_recording_is_catalogued_like_an_ingested_one(demo: Built) -> None:
    from clipper.archive.catalog import verify_archive

    checks = verify_archive(demo.project)
    assert [(c.kind, c.status, c.slug) for c in checks] == [
        ("recording", "ok", script.SLUG),
        ("transcript", "ok", script.SLUG),
    ]
