"""Thousands of ranges: cut in batches, the clip still holds exactly the asked frames, in order."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from tests.clirun import run
from tests.media import SourceSpec, make_source, read_audio, read_barcodes
from tests.tree import leftovers

FRAMES = 1500


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_source(tmp_path_factory.mktemp("src") / "src.mp4", SourceSpec(seconds=FRAMES / 25))


def _at(frame: int) -> str:
    ms = frame * 40
    return f"{ms // 60_000}:{ms % 60_000 // 1000:02d}.{ms % 1000:03d}"


@pytest.mark.parametrize("mode", ["accurate", "auto"])
def test_1500_one_frame_ranges_keep_every_frame_in_order(
    tmp_path: Path, source: Path, mode: str
) -> None:
    ranges = tmp_path / "r.txt"
    lines = [f"{_at(i)} - {_at(i + 1)}" for i in range(FRAMES)]
    ranges.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "many.mp4"
    result = run("cut", source, "-o", out, "-r", ranges, "--mode", mode)
    assert result.exit_code == 0, result.output
    assert read_barcodes(out) == list(range(FRAMES))
    with av.open(str(out)) as container:
        assert sum(1 for _ in container.decode(video=0)) == FRAMES
    # picture and sound stay together: the audio lasts as long as the frames
    assert abs(len(read_audio(out)) / 16000 - FRAMES / 25) < 0.05
    assert leftovers(tmp_path) == []
