"""The recording's sound for the recogniser: decoded once, cut into chunks at quiet moments.

The bundled ffmpeg decodes the audio once into 16 kHz mono 16-bit PCM (what Whisper
hears), written under a temporary name and renamed when complete, so an interrupted
decode is never mistaken for a finished one. Long recordings are transcribed in chunks of
about CHUNK_MS, each cut at the quietest moment near its nominal end (no word is cut in
two), so that an interrupted run resumes at the first unfinished chunk.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

from clipper.files.atomic import atomic_path
from clipper.i18n import _
from clipper.media.ffmpeg import ProgressCallback, media_url, run_ffmpeg

RATE = 16_000
BYTES_PER_SAMPLE = 2
CHUNK_MS = 10 * 60_000
SEARCH_MS = 20_000
"""A chunk ends at the quietest WINDOW_MS within this distance of its nominal end."""
WINDOW_MS = 100


def decode(recording: Path, target: Path, *, progress: ProgressCallback | None = None) -> None:
    """The first audio stream of `recording` as raw 16 kHz mono s16le PCM in `target`."""
    with atomic_path(target) as temp:
        run_ffmpeg(
            [
                "-i", media_url(recording),
                "-map", "0:a:0",
                "-vn", "-sn", "-dn",
                "-ac", "1",
                "-ar", str(RATE),
                "-c:a", "pcm_s16le",
                "-f", "s16le",
                "-y", media_url(temp),
            ],
            progress=progress,
            what=_("decoding the recording's sound"),
        )  # fmt: skip


def samples_ms(byte_count: int) -> int:
    return byte_count // BYTES_PER_SAMPLE * 1000 // RATE


def plan_chunks(
    loudness: Sequence[float], total_ms: int, *, chunk_ms: int = CHUNK_MS
) -> list[tuple[int, int]]:
    """[start_ms, end_ms) of each chunk (pure). `loudness` holds one value per WINDOW_MS
    window; each cut lies at the middle of the quietest window near a multiple of chunk_ms.
    A last chunk shorter than a quarter of chunk_ms joins the one before it."""
    cuts = [0]
    while total_ms - cuts[-1] > chunk_ms + chunk_ms // 4:
        nominal = cuts[-1] + chunk_ms
        first = max((nominal - SEARCH_MS) // WINDOW_MS, cuts[-1] // WINDOW_MS + 1)
        last = min((nominal + SEARCH_MS) // WINDOW_MS, len(loudness) - 1)
        if first > last:
            cuts.append(nominal)
            continue
        quietest = min(range(first, last + 1), key=lambda i: (loudness[i], abs(i - first)))
        cuts.append(quietest * WINDOW_MS + WINDOW_MS // 2)
    cuts.append(total_ms)
    return list(itertools.pairwise(cuts))
