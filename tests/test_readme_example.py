"""The README's library example runs as written, and makes what it says."""

from __future__ import annotations

import re
from pathlib import Path

import av
import pytest
from media import SourceSpec, make_source

README = Path(__file__).resolve().parent.parent / "README.md"


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using clipper from Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the section has one Python example"
    return blocks[0]


@pytest.mark.slow
def test_readme_library_example_runs(tmp_path: Path, monkeypatch, capsys) -> None:
    make_source(tmp_path / "aufzeichnung.mp4", SourceSpec(seconds=8.0))
    monkeypatch.chdir(tmp_path)
    exec(compile(_example(), str(README), "exec"), {"__name__": "__readme__"})
    printed = capsys.readouterr().out
    assert "archiviert in projekt/recordings/ratssitzung" in printed
    assert "1 Veranstaltung(en) in projekt/site" in printed
    with av.open(str(tmp_path / "zusammenfassung.mp4")) as clip:
        frames = sum(1 for _ in clip.decode(video=0))
    assert frames == 25 * 2 + round(25 * 1.5)  # 0:01-0:03 and 0:05-0:06,5 at 25 fps
    assert (tmp_path / "projekt/site/events/ratssitzung/index.html").is_file()
