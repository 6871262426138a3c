"""faster-whisper (CTranslate2) behind one small interface, imported only when used.

faster-whisper is an optional extra (`pip install "clipper[transcribe]"`): without it the
core stays small and `clipper transcribe` says in one line what to install. On CPU it runs
with int8 weights; where CTranslate2 sees a CUDA GPU, on the GPU with float16.
Word timestamps are always on: captions are cut at word boundaries (cues.py), and without
them greedy decoding was seen to invent repeats in trailing silence. Beam search 5.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from clipper.i18n import _
from clipper.transcribe.cues import Word
from clipper.transcribe.model import EXTRA_HINT, ModelChoice, TranscribeError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Audio = npt.NDArray[np.float32]
else:
    Audio = Any

BEAM_SIZE = 5


class Recogniser(Protocol):
    """Speech to timed words; what run.py needs from an engine."""

    label: str

    def words(
        self, audio: Audio, *, offset_ms: int, progress: Callable[[int], None] | None = None
    ) -> list[Word]:
        """The words in `audio` (16 kHz mono float32), timed from `offset_ms`; `progress`
        is told how far into `audio` (ms) the recogniser has come."""


def require_engine() -> None:
    """Raise the one-line message about the extra unless faster-whisper can be imported."""
    try:
        import faster_whisper  # noqa: F401
    except ImportError as exc:
        raise TranscribeError(
            _(
                "clipper transcribe needs faster-whisper, which is not installed: {EXTRA_HINT}"
            ).format(EXTRA_HINT=_(EXTRA_HINT))
        ) from exc


def device() -> tuple[str, str]:
    """(device, compute type): a CUDA GPU when CTranslate2 sees one, else CPU with int8."""
    try:
        import ctranslate2

        if ctranslate2.get_cuda_device_count() > 0:
            return "cuda", "float16"
    except (ImportError, RuntimeError, OSError):
        pass
    return "cpu", "int8"


SEED = 20240517


@dataclass
class FasterWhisper:
    """A loaded faster-whisper model with the options of one transcription."""

    model: Any
    label: str
    language: str
    prompt: str | None
    vad: bool

    def words(
        self, audio: Audio, *, offset_ms: int, progress: Callable[[int], None] | None = None
    ) -> list[Word]:
        # Where decoding falls back to sampling (temperature > 0), a fixed seed makes the
        # same recording give the same transcript every time (and a resumed run agree).
        import ctranslate2

        ctranslate2.set_random_seed(SEED)
        segments, _info = self.model.transcribe(
            audio,
            language=self.language,
            task="transcribe",
            beam_size=BEAM_SIZE,
            word_timestamps=True,
            initial_prompt=self.prompt,
            vad_filter=self.vad,
            condition_on_previous_text=True,
        )
        out: list[Word] = []
        for segment in segments:  # a generator: recognition happens while iterating
            for w in segment.words or []:
                start = offset_ms + round(float(w.start) * 1000)
                end = max(start, offset_ms + round(float(w.end) * 1000))
                text = str(w.word)
                if out and text and not text[0].isspace() and not text[0].isalnum():
                    # "-Labor" after "Verwaltungsrebellen": one word on screen
                    last = out[-1]
                    out[-1] = Word(last.text + text.strip(), last.start_ms, max(last.end_ms, end))
                elif text.strip():
                    out.append(Word(text.strip(), start, end))
            if progress is not None:
                progress(round(float(segment.end) * 1000))
        return out


def load(choice: ModelChoice, *, language: str, prompt: str | None, vad: bool) -> FasterWhisper:
    """Load the model (from its folder, or by name from the hub where reachable)."""
    require_engine()
    from faster_whisper import WhisperModel

    where, compute = device()
    try:
        model = WhisperModel(
            choice.ref,
            device=where,
            compute_type=compute,
            cpu_threads=os.cpu_count() or 1,
            local_files_only=False,
        )
    except Exception as exc:  # hub unreachable, damaged folder: CTranslate2 and hub errors
        hint = (
            _("without a model hub, leave out --model (the bundled base) or give a model folder")
            if not choice.local
            else _("check the model folder")
        )
        said = " ".join(str(exc).split())  # hub errors run over several lines
        raise TranscribeError(
            _("the model {label} cannot be loaded: {kind}: {said}").format(
                label=choice.label, kind=type(exc).__name__, said=said[:300]
            ),
            hint=hint,
        ) from exc
    return FasterWhisper(model, f"{choice.label}, {where}/{compute}", language, prompt, vad)
