"""German speech for the demo through espeak-ng (shipped by the `espeakng-loader` wheel).

The library is driven through ctypes so no system package is needed. Samples come back as
16-bit mono PCM at 22,050 Hz; leading and trailing silence is trimmed so that an utterance's
length is exactly the time it is heard, which makes the demo transcript exact. When espeak-ng
cannot be loaded, `SpeechUnavailableError` tells the caller to use `tone()` instead.
"""

from __future__ import annotations

import ctypes
import math
import sys
import threading
from array import array
from dataclasses import dataclass
from functools import cache
from typing import Any

from clipper.demo.script import Voice
from clipper.errors import ClipperError
from clipper.i18n import _

SAMPLE_RATE = 22_050
SILENCE_THRESHOLD = 250
"""Samples quieter than this (of 32767, about -42 dBFS) count as silence when trimming."""

# speak_lib.h
_AUDIO_OUTPUT_RETRIEVAL = 1
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE = 1
_VOLUME = 2
_PITCH = 3
_EE_OK = 0

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class SpeechUnavailableError(ClipperError):
    """espeak-ng (or its German voice) cannot be used on this machine."""


@dataclass
class _Engine:
    lib: Any  # ctypes.CDLL; Any because its functions are looked up by name
    callback: Any  # keeps the ctypes callback alive as long as the library may call it
    buffer: bytearray


_lock = threading.Lock()


def _open_library() -> tuple[Any, str]:
    """Load libespeak-ng and find its data; raises ImportError/OSError/RuntimeError."""
    import espeakng_loader

    data_path = str(espeakng_loader.get_data_path())
    lib = ctypes.CDLL(str(espeakng_loader.get_library_path()))
    return lib, data_path


@cache
def _engine() -> _Engine:
    """Initialise espeak-ng once per process (its state is global)."""
    try:
        lib, data_path = _open_library()
    except (ImportError, OSError, RuntimeError) as exc:
        raise SpeechUnavailableError(
            _("espeak-ng cannot be loaded: {exc}").format(exc=exc)
        ) from exc
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_RETRIEVAL, 0, data_path.encode(), 0)
    if rate != SAMPLE_RATE:
        raise SpeechUnavailableError(_("espeak-ng did not start (answer {rate})").format(rate=rate))
    buffer = bytearray()

    def collect(wav: Any, count: int, _events: Any) -> int:
        if wav and count > 0:
            buffer.extend(ctypes.string_at(wav, count * 2))
        return 0

    callback = _SynthCallback(collect)
    lib.espeak_SetSynthCallback(callback)
    return _Engine(lib, callback, buffer)


def check_available() -> None:
    """Raise SpeechUnavailableError unless German speech can be made (for `clipper doctor`)."""
    _engine()


def synthesize(text: str, voice: Voice) -> bytes:
    """Speak `text`; 16-bit little-endian mono PCM at SAMPLE_RATE, silence trimmed."""
    engine = _engine()
    lib = engine.lib
    data = text.encode("utf-8") + b"\0"
    with _lock:
        engine.buffer.clear()
        if lib.espeak_SetVoiceByName(voice.name.encode()) != _EE_OK:
            raise SpeechUnavailableError(
                _("espeak-ng has no voice {name!r}").format(name=voice.name)
            )
        lib.espeak_SetParameter(_RATE, voice.rate, 0)
        lib.espeak_SetParameter(_PITCH, voice.pitch, 0)
        lib.espeak_SetParameter(_VOLUME, 100, 0)
        status = lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
        raw = bytes(engine.buffer)
        engine.buffer.clear()
    if status != _EE_OK:
        raise SpeechUnavailableError(
            _("espeak-ng could not speak (error {status})").format(status=status)
        )
    samples = array("h")
    samples.frombytes(raw[: len(raw) // 2 * 2])
    trimmed = _trim(samples)
    if not trimmed:
        raise SpeechUnavailableError(_("espeak-ng produced no sound"))
    if sys.byteorder == "big":
        trimmed.byteswap()
    return trimmed.tobytes()


def _trim(samples: array[int]) -> array[int]:
    """Cut silence at both ends (scanning from the ends: the silent stretches are short)."""
    first = next((i for i, s in enumerate(samples) if abs(s) > SILENCE_THRESHOLD), None)
    if first is None:
        return array("h")
    last = next(
        i for i in range(len(samples) - 1, first - 1, -1) if abs(samples[i]) > SILENCE_THRESHOLD
    )
    return samples[first : last + 1]


def tone(frequency_hz: float, duration_ms: int) -> bytes:
    """A sine stand-in for speech (same format as `synthesize`), with short fades (no clicks).

    The frequency is rounded to a whole number of samples per period, so one period can be
    repeated instead of computing every sample in Python.
    """
    count = duration_ms * SAMPLE_RATE // 1000
    period = max(2, round(SAMPLE_RATE / frequency_hz))
    cycle = array("h", (round(9000 * math.sin(2 * math.pi * i / period)) for i in range(period)))
    out = (cycle * (count // period + 1))[:count]
    fade = min(SAMPLE_RATE // 50, count // 2)
    for i in range(fade):
        gain = i / fade
        out[i] = round(out[i] * gain)
        out[count - 1 - i] = round(out[count - 1 - i] * gain)
    if sys.byteorder == "big":
        out.byteswap()
    return out.tobytes()


def samples_to_ms(pcm: bytes) -> int:
    """Length of PCM from this module in whole ms (rounded half up)."""
    return (len(pcm) // 2 * 1000 + SAMPLE_RATE // 2) // SAMPLE_RATE
