"""mozilla/vtt.js's parser corpus: `clipper subtitles check --json --lenient` reads each file
as the browser-grade parser does (see tests/data/NOTICE.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import DATA
from typer.testing import CliRunner

from clipper.cli import app

CORPUS = DATA / "webvtt-conformance"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
REFERENCE = Path(__file__).parent.parent / "docs" / "referenz.md"  # where the score is stated
runner = CliRunner()

Cue = tuple[str, int, int, str]


def expected_cues(name: str) -> list[Cue]:
    """vtt.js records seconds as floats: rounded to whole ms once, here."""
    data = json.loads((CORPUS / name).read_text(encoding="utf-8"))
    return [
        (c["id"], round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["text"])
        for c in data["cues"]
    ]


def check(name: str) -> tuple[list[Cue] | None, str]:
    """The cues clipper reports, or None and the error line when it refuses the file."""
    result = runner.invoke(app, ["subtitles", "check", str(CORPUS / name), "--json", "--lenient"])
    assert "Traceback" not in result.output and "internal error" not in result.output, name
    if result.exit_code == 1:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (name, result.stderr)
        return None, lines[0]
    assert result.exit_code == 0, (name, result.output)
    cues = json.loads(result.stdout)["cues"]
    return [(c["id"], c["start_ms"], c["end_ms"], c["text"]) for c in cues], ""


def test_every_pair_matches_vtt_js() -> None:
    differ = []
    for pair in MANIFEST["pairs"]:
        want = expected_cues(pair["expected"])
        got, error = check(pair["vtt"])
        if got is None and not want:
            continue  # refused with a clear error where vtt.js finds no cues
        if got != want:
            differ.append(f"{pair['vtt']}: got {got or error!r}, vtt.js {want!r}")
    assert not differ, f"{len(differ)} of {len(MANIFEST['pairs'])} differ:\n" + "\n".join(differ)
    assert len(MANIFEST["pairs"]) == 239


def test_unpaired_files_never_cause_a_traceback() -> None:
    assert len(MANIFEST["unpaired_vtt"]) == 28
    for name in MANIFEST["unpaired_vtt"]:
        check(name)  # asserts: cues, or one `error:` line; never a traceback


def test_the_reference_states_the_score() -> None:
    pairs, unpaired = len(MANIFEST["pairs"]), len(MANIFEST["unpaired_vtt"])
    text = REFERENCE.read_text(encoding="utf-8")
    assert re.search(rf"\b{pairs}/{pairs} pairs\b", text)
    assert f"{unpaired} unpaired" in text
