from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clipper.files.atomic import atomic_path, atomic_write_text


def test_atomic_write_replaces_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "event.toml"
    target.write_text("alt\n")
    atomic_write_text(target, 'titel = "Grüße"\n')
    assert target.read_text(encoding="utf-8") == 'titel = "Grüße"\n'
    assert [p.name for p in tmp_path.iterdir()] == ["event.toml"]


def test_failed_rename_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(tmp_path / "event.toml", "x = 1\n")
    assert list(tmp_path.iterdir()) == []


def test_error_inside_the_block_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "clip.mp4"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        assert tmp.suffix == ".mp4" and tmp.parent == tmp_path
        tmp.write_bytes(b"half")
        raise RuntimeError("ffmpeg died")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]
