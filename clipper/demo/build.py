"""Build the demo event: speech, picture, transcript, summary ranges and event.toml.

Plan first (synthesize each line, lay the lines out, cut them to `seconds_limit`), then write:
the recording comes out of one ffmpeg run that repeats a pre-drawn gallery still, draws the
active-speaker frames and muxes the speech track; the text files follow. Each file appears
only when complete.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path

from clipper.archive.eventfile import EVENT_FILE, RECORDINGS, event_toml
from clipper.archive.original import original_table
from clipper.archive.protect import check_demo
from clipper.demo import picture, script, speech
from clipper.demo.files import ranges_text
from clipper.demo.transcript import make_cues, render_vtt
from clipper.files.atomic import atomic_path, atomic_write_text
from clipper.files.checksums import sha256_file
from clipper.media.ffmpeg import ProgressCallback, media_url, run_ffmpeg
from clipper.media.probe import probe
from clipper.progress import Reporter, SilentReporter

RECORDING = "aufzeichnung.mp4"
RANGES = "zusammenfassung.ranges"
TONE_NOTE = (
    "Die Tonspur dieser Demo besteht aus Sinustönen (ein Ton je Person) statt Sprache, weil "
    "espeak-ng nicht geladen werden konnte. Die Zeiten der Cues stimmen mit den Tönen überein."
)


def create_demo_event(
    project_dir: Path,
    *,
    reporter: Reporter | None = None,
    seconds_limit: int | None = None,
) -> Path:
    """Write the demo event (a ~3-minute four-person video call) and return its folder.

    `seconds_limit` shortens the call to the lines that end within that many seconds, for fast
    tests. `reporter` gets a line per stage and the encoder's progress.
    """
    reporter = reporter or SilentReporter()
    say = reporter.step
    event_dir = project_dir / RECORDINGS / script.SLUG
    transcript_rel = f"transcripts/{script.SLUG}.{script.LANGUAGE}.vtt"
    transcript_path = project_dir / transcript_rel
    check_demo(project_dir, event_dir, transcript_path, title=script.TITLE)
    event_dir.mkdir(parents=True, exist_ok=True)
    transcript_path.parent.mkdir(parents=True, exist_ok=True)

    say("Sprache wird erzeugt …")
    pcm, spoken = _speak(script.LINES)
    if not spoken:
        say("espeak-ng nicht verfügbar: Töne statt Sprache")
    durations = [speech.samples_to_ms(p) for p in pcm]
    utterances = script.truncate(script.lay_out(script.LINES, durations), seconds_limit)
    total_ms = script.recording_ms(utterances)
    cues = make_cues(utterances)
    ranges = script.summary_ranges(utterances, total_ms, [(c.start_ms, c.end_ms) for c in cues])

    with tempfile.TemporaryDirectory(prefix="clipper-demo-") as tmp:
        wav = Path(tmp) / "speech.wav"
        _write_track(wav, utterances, pcm, total_ms)
        still = Path(tmp) / "gallery.png"
        say("Bild wird gezeichnet …")
        run_ffmpeg(
            [
                "-filter_complex",
                picture.gallery_graph(script.SPEAKERS),
                "-map",
                "[out]",
                "-frames:v",
                "1",
                "-y",
                media_url(still),
            ],
            what="drawing the demo gallery",
        )
        say("Video wird erzeugt …")
        progress = reporter.media("Demo-Video", total_ms)
        _encode(still, wav, event_dir / RECORDING, utterances, total_ms, progress)

    say("Transkript und Event-Datei werden geschrieben …")
    note = None if spoken else TONE_NOTE
    atomic_write_text(transcript_path, render_vtt(cues, note=note))
    atomic_write_text(event_dir / RANGES, ranges_text(ranges, script.SUMMARY_TITLE))
    description = script.DESCRIPTION if spoken else f"{script.DESCRIPTION}\n{script.TONE_NOTICE}\n"
    recording = event_dir / RECORDING
    atomic_write_text(
        event_dir / EVENT_FILE,
        event_toml(
            title=script.TITLE,
            date=dt.date.fromisoformat(script.DATE),
            language=script.LANGUAGE,
            recording=RECORDING,
            transcript=transcript_rel,
            description=description,
            credits=script.CREDITS,
            clips=[(script.SUMMARY_TITLE, RANGES)],
            plain_language=script.PLAIN_LANGUAGE,
            visual_description=script.VISUAL_DESCRIPTION,
            original=original_table(
                sha256_file(recording),
                probe(recording),
                transcript_sha256=sha256_file(transcript_path),
            ),
        ),
    )
    settings = project_dir / "clipper.toml"
    if not settings.exists():  # never replace a city's own settings
        atomic_write_text(settings, script.SETTINGS)
    say(f"Demo-Event fertig: {event_dir}")
    return event_dir


def _speak(lines: Sequence[script.Line]) -> tuple[list[bytes], bool]:
    """PCM for every line and whether it is speech (True) or the tone stand-in (False)."""
    try:
        return [speech.synthesize(line.text, line.speaker.voice) for line in lines], True
    except speech.SpeechUnavailableError:
        tones = [
            speech.tone(line.speaker.voice.tone_hz, script.estimate_ms(line.text)) for line in lines
        ]
        return tones, False


def _write_track(
    path: Path, utterances: Sequence[script.Utterance], pcm: Sequence[bytes], total_ms: int
) -> None:
    """One 22,050 Hz mono WAV with each utterance placed at its start time."""
    rate = speech.SAMPLE_RATE
    track = bytearray(2 * (total_ms * rate // 1000))
    for u in utterances:
        at = 2 * (u.start_ms * rate // 1000)
        data = pcm[u.index][: len(track) - at]
        track[at : at + len(data)] = data
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(track))


def _encode(
    still: Path,
    wav: Path,
    target: Path,
    utterances: Sequence[script.Utterance],
    total_ms: int,
    progress: ProgressCallback,
) -> None:
    """The recording, encoded like a Zoom cloud recording (H.264 with 10 s GOP, AAC mono
    32 kHz), written under a temporary name and moved into place when complete."""
    spans = script.speaker_spans(utterances, total_ms)
    graph = picture.recording_graph(script.SPEAKERS, [(s, a, b) for s, a, b in spans])
    with atomic_path(target) as temp:
        run_ffmpeg(
            [
                "-i", media_url(still),
                "-i", media_url(wav),
                "-filter_complex", graph,
                "-map", "[v]",
                "-map", "[a]",
                "-t", f"{total_ms / 1000:.3f}",
                "-r", str(picture.FPS),
                "-c:v", "libx264",
                "-preset", "veryfast",
                "-crf", "28",
                "-g", str(10 * picture.FPS),
                "-pix_fmt", "yuv420p",
                "-c:a", "aac",
                "-b:a", "48k",
                "-ar", "32000",
                "-ac", "1",
                "-movflags", "+faststart",
                "-f", "mp4",
                "-y", media_url(temp),
            ],
            progress=progress,
            what="encoding the demo recording",
        )  # fmt: skip
