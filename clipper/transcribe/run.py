"""One transcription: decode, recognise chunk by chunk (resumable), write the WebVTT file.

Work in progress lives in the user's cache folder under a key of everything the result
depends on (the recording's path, size and time, the model, language, prompt, VAD): the
decoded sound and one JSON file of words per finished chunk, each written atomically. An
interrupted run (Ctrl+C, a closed laptop) leaves those; the same command resumes at the
first unfinished chunk. The VTT file itself appears only when complete (temp file and
rename). With `replace`, an existing output is first kept beside it (`NAME.alt.vtt`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clipper import __version__
from clipper.errors import ClipperError
from clipper.files.atomic import atomic_path, atomic_write_text
from clipper.i18n import _
from clipper.media.probe import probe
from clipper.progress import Reporter, SilentReporter
from clipper.subtitles.model import Track
from clipper.subtitles.vtt import format_vtt
from clipper.transcribe import audio
from clipper.transcribe.cues import Word, make_cues
from clipper.transcribe.engine import Recogniser, require_engine
from clipper.transcribe.model import ModelChoice, TranscribeError, choose_model, user_cache_dir

AUTOMATIC_NOTE = "Automatisch erstellt, ungeprüft"
"""Starts the NOTE of every automatic transcript (the word "automatisch" marks it)."""


@dataclass(frozen=True)
class Options:
    model: str | None = None  # --model: None is the bundled base
    language: str = "de"
    prompt: str | None = None
    vad: bool = True
    chunk_ms: int = audio.CHUNK_MS


@dataclass(frozen=True)
class Result:
    output: Path
    cues: int
    words: int
    audio_ms: int
    model: str
    kept: Path | None  # the earlier file, kept beside the new one
    resumed_chunks: int


LoadEngine = Callable[[ModelChoice, Options], Recogniser]


def _load_engine(choice: ModelChoice, options: Options) -> Recogniser:
    from clipper.transcribe.engine import load

    return load(choice, language=options.language, prompt=options.prompt, vad=options.vad)


def backup_name(target: Path) -> Path:
    """Where the earlier file goes: `NAME.alt.vtt`, else `NAME.alt-2.vtt`, ..."""
    number = 1
    while True:
        suffix = ".alt" if number == 1 else f".alt-{number}"
        candidate = target.with_name(f"{target.stem}{suffix}{target.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def work_key(recording: Path, choice: ModelChoice, options: Options) -> str:
    st = recording.stat()
    parts = [
        __version__,
        os.path.realpath(recording),
        str(st.st_size),
        str(st.st_mtime_ns),
        choice.ref,
        choice.sha256 or "",
        options.language,
        options.prompt or "",
        str(options.vad),
        str(options.chunk_ms),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def audio_ms_of(recording: Path) -> int:
    """The recording's length (ms); refused when it has no sound to transcribe."""
    info = probe(recording, scan_keyframes=False)
    if not any(s.kind == "audio" for s in info.streams):
        raise TranscribeError(_("the recording has no sound to transcribe"), path=recording)
    return int(info.duration * 1000)


def transcribe_file(
    recording: Path,
    output: Path,
    options: Options,
    *,
    replace: bool = False,
    reporter: Reporter | None = None,
    cache: Path | None = None,
    load_engine: LoadEngine = _load_engine,
    write: Callable[[str], Path | None] | None = None,
) -> Result:
    """Transcribe `recording` into the WebVTT file `output` (the caller has asked the guard).

    `write` puts the finished text in place and returns the earlier file it kept, if any
    (default: `put_in_place`; the event variant also updates event.toml, under the lock).
    """
    reporter = reporter or SilentReporter()
    require_engine()
    cache = cache or user_cache_dir()
    total_ms = audio_ms_of(recording)
    choice = choose_model(options.model, cache=cache)
    work = cache / "transcribe" / work_key(recording, choice, options)
    work.mkdir(parents=True, exist_ok=True)
    pcm = work / "audio.s16le"
    if not pcm.is_file():
        reporter.step(_("Reading the recording's sound"))
        audio.decode(recording, pcm, progress=reporter.media(_("reading the sound"), total_ms))
    words, resumed, audio_ms = _recognise(pcm, work, choice, options, reporter, load_engine)
    cues = make_cues(words, end_ms=audio_ms)
    note = f"{AUTOMATIC_NOTE} (clipper transcribe, {choice.label}, Sprache {options.language})"
    text = format_vtt(Track(cues=cues, notes=[note]))
    kept = write(text) if write else put_in_place(output, text, replace=replace)
    shutil.rmtree(work, ignore_errors=True)
    return Result(output, len(cues), len(words), audio_ms, choice.label, kept, resumed)


def _recognise(
    pcm: Path,
    work: Path,
    choice: ModelChoice,
    options: Options,
    reporter: Reporter,
    load_engine: LoadEngine,
) -> tuple[list[Word], int, int]:
    """All words, chunk by chunk; finished chunks are read from `work`, not recognised again."""
    import numpy as np

    samples = np.memmap(pcm, dtype="<i2", mode="r")
    audio_ms = audio.samples_ms(samples.size * audio.BYTES_PER_SAMPLE)
    window = audio.RATE * audio.WINDOW_MS // 1000
    usable = samples.size // window * window
    loudness = np.abs(samples[:usable].reshape(-1, window).astype(np.int32)).mean(axis=1)
    chunks = audio.plan_chunks([float(x) for x in loudness], audio_ms, chunk_ms=options.chunk_ms)
    words: list[Word] = []
    engine: Recogniser | None = None
    resumed = 0
    reporter.step(
        _("Speech recognition: {chunks_count} part(s), {audio_ms} min of sound").format(
            chunks_count=len(chunks), audio_ms=_minutes(audio_ms)
        )
    )
    bar = reporter.media(_("speech recognition"), audio_ms)
    for number, (start, end) in enumerate(chunks):
        done = work / f"chunk-{number:04d}.json"
        if done.is_file():
            words += _read_words(done)
            resumed += 1
            bar(end)
            continue
        if engine is None:
            engine = load_engine(choice, options)
        first, last = start * audio.RATE // 1000, end * audio.RATE // 1000
        piece = samples[first:last].astype(np.float32) / 32768.0
        found = engine.words(piece, offset_ms=start, progress=_shifted(bar, start))
        atomic_write_text(done, json.dumps([[w.text, w.start_ms, w.end_ms] for w in found]))
        words += found
        bar(end)
    return words, resumed, audio_ms


def _shifted(bar: Callable[[int], None], offset_ms: int) -> Callable[[int], None]:
    return lambda ms: bar(offset_ms + ms)


def _minutes(ms: int) -> str:
    return f"{ms / 60_000:.1f}".replace(".", ",")


def _read_words(path: Path) -> list[Word]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [Word(str(t), int(s), int(e)) for t, s, e in raw]
    except (OSError, ValueError, TypeError) as exc:
        raise ClipperError(
            _("an unfinished transcription's notes cannot be read: {exc}").format(exc=exc),
            path=path,
            hint=_("delete the folder {parent} and run it again").format(parent=path.parent),
        ) from exc


def put_in_place(output: Path, text: str, *, replace: bool) -> Path | None:
    """Write `output` atomically; an existing file is kept as NAME.alt.vtt first (only with
    `replace`; the guard has refused otherwise, and this checks again)."""
    kept = None
    with atomic_path(output) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")
        if output.exists():
            if not replace:
                raise TranscribeError(
                    _("exists already"), path=output, hint=_("add --replace to keep it as .alt.vtt")
                )
            kept = backup_name(output)
            try:
                os.link(output, kept)
            except OSError:
                shutil.copy2(output, kept)
    return kept
