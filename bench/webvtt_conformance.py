"""How webvtt-py and clipper's own parser read mozilla/vtt.js's parser corpus.

The numbers quoted in clipper/subtitles/webvtt_parser.py come from this script. A pair
matches when the cues (id, start and end in whole ms, raw text) equal vtt.js's, or when a
parser refuses a file where vtt.js finds no cues.

    .venv/bin/python bench/webvtt_conformance.py
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import webvtt  # a test dependency

from clipper.errors import ClipperError
from clipper.subtitles import read_subtitles

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "webvtt-conformance"
Cues = list[tuple[str, int, int, str]]


def webvtt_py(strict: bool) -> Callable[[Path], Cues]:
    def read(path: Path) -> Cues:
        def ms(t: webvtt.models.Timestamp) -> int:
            hours, minutes, seconds, millis = t.to_tuple()
            return int(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)

        captions = webvtt.read(str(path), strict=strict).captions
        return [
            (c.identifier or "", ms(c.start_time), ms(c.end_time), c.raw_text) for c in captions
        ]

    return read


def clipper(path: Path) -> Cues:
    track = read_subtitles(path, lenient=True)
    return [(c.id, c.start_ms, c.end_ms, c.text) for c in track.cues]


def score(read: Callable[[Path], Cues]) -> tuple[int, int]:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    matched = 0
    for pair in manifest["pairs"]:
        cues = json.loads((CORPUS / pair["expected"]).read_text(encoding="utf-8"))["cues"]
        want = [
            (c["id"], round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["text"])
            for c in cues
        ]
        try:
            got: Cues | None = read(CORPUS / pair["vtt"])
        except (
            ClipperError,
            webvtt.errors.MalformedFileError,
            webvtt.errors.MalformedCaptionError,
        ):
            got = None
        matched += got == want or (got is None and not want)
    return matched, len(manifest["pairs"])


if __name__ == "__main__":
    for name, read in [
        ("webvtt-py (default)", webvtt_py(strict=False)),
        ("webvtt-py (strict=True)", webvtt_py(strict=True)),
        ("clipper (lenient)", clipper),
    ]:
        matched, total = score(read)
        print(f"{name:26} {matched}/{total} pairs match vtt.js")
