"""Word error rate and real-time factor of `clipper transcribe` on German speech, on CPU.

The speech is the demo's (espeak-ng voices, exact text known), about 50 s. For each model:
WER against the script, and the real-time factor (recognition time / audio length, lower
is faster; the model load is not counted). `small` needs a reachable model hub (or
CLIPPER_BENCH_SMALL=/path/to/faster-whisper-small); without one its row says so.

    python bench/transcribe_quality.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clipper.demo import script, speech
from clipper.transcribe.cues import make_cues
from clipper.transcribe.engine import load
from clipper.transcribe.model import TranscribeError, choose_model
from clipper.transcribe.prompt import initial_prompt
from tests.wer import wer

LINES = script.LINES[:5]


def speech_track(folder: Path) -> tuple[Path, str, int]:
    pcm = [speech.synthesize(line.text, line.speaker.voice) for line in LINES]
    utterances = script.lay_out(LINES, [speech.samples_to_ms(p) for p in pcm])
    total = script.recording_ms(utterances)
    rate = speech.SAMPLE_RATE
    track = bytearray(2 * (total * rate // 1000))
    for u in utterances:
        at = 2 * (u.start_ms * rate // 1000)
        data = pcm[u.index][: len(track) - at]
        track[at : at + len(data)] = data
    wav = folder / "speech.wav"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(track))
    return wav, " ".join(line.text for line in LINES), total


def main() -> None:
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        wav, text, total_ms = speech_track(Path(tmp))
        with wave.open(str(wav)) as f:
            raw = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
        # 22,050 Hz to 16 kHz by linear interpolation (the CLI lets ffmpeg do this)
        times = np.arange(0, raw.size / speech.SAMPLE_RATE, 1 / 16_000)
        audio = np.interp(times, np.arange(raw.size) / speech.SAMPLE_RATE, raw) / 32768.0
        audio = audio.astype(np.float32)
        prompt = initial_prompt(script.TITLE, "", [s.name for s in script.SPEAKERS])
        print(f"German espeak speech, {total_ms / 1000:.1f} s, {os.cpu_count()} CPU cores")
        print(f"{'model':<8} {'VAD':<4} {'prompt':<7} {'WER':>6} {'RTF':>6} {'cues':>5}")
        for name in ("base", os.environ.get("CLIPPER_BENCH_SMALL", "small")):
            try:
                choice = choose_model(name)
                for vad in (False, True):
                    for use_prompt in (False, True):
                        engine = load(
                            choice,
                            language="de",
                            prompt=prompt if use_prompt else None,
                            vad=vad,
                        )
                        start = time.perf_counter()
                        words = engine.words(audio, offset_ms=0)
                        rtf = (time.perf_counter() - start) / (total_ms / 1000)
                        cues = make_cues(words, end_ms=total_ms)
                        heard = " ".join(c.plain_text for c in cues)
                        label = Path(name).name if os.sep in name else name
                        print(
                            f"{label:<8} {'ja' if vad else 'nein':<4} "
                            f"{'ja' if use_prompt else 'nein':<7} {wer(text, heard):>6.3f} "
                            f"{rtf:>6.3f} {len(cues):>5}"
                        )
            except TranscribeError as exc:
                print(f"{name:<8} not available here: {exc}")


if __name__ == "__main__":
    main()
