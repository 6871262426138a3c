"""The remembered packet index (media/index_cache.py): a window of a recording is read
once; a changed file is read afresh; a broken cache file is ignored and made again; a
refused cut leaves none."""

from __future__ import annotations

import json
import os
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from clirun import one_line_error, run
from media import SourceSpec
from test_damage import flip_bit

from clipper.media import index_cache
from clipper.media.index_cache import IndexStore, index_from_json, index_to_json
from clipper.media.keyframes import PacketIndex, scan_packets, scan_windows
from clipper.media.verdicts import user_cache

START, END = Fraction(1), Fraction(3)


@pytest.fixture
def h264(source_factory, tmp_path: Path) -> Path:
    return Path(shutil.copy(source_factory(SourceSpec(seconds=8.0)), tmp_path / "aufnahme.mp4"))


class Counting:
    """scan_windows, counting the windows read from the recording."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(
        self, path: Path, windows: list[tuple[Fraction, Fraction]], margin: Fraction = Fraction(1)
    ) -> list[PacketIndex]:
        self.calls += len(windows)
        return scan_windows(path, windows, margin)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counting:
    counting = Counting()
    monkeypatch.setattr(index_cache, "scan_windows", counting)
    return counting


def test_a_window_is_exactly_what_a_scan_finds(h264: Path) -> None:
    index = scan_packets(h264, START, END)
    again = index_from_json(json.loads(json.dumps(index_to_json(index))))
    assert again == index
    assert again.idr_times == index.idr_times and again.params.avc == index.params.avc
    # several windows from one opening of the file: each as if read alone
    windows = [(Fraction(5), Fraction(6)), (START, END), (Fraction(0), Fraction(1))]
    assert scan_windows(h264, windows) == [scan_packets(h264, a, b) for a, b in windows]


def test_read_once_then_from_the_cache(h264: Path, tmp_path: Path, reads: Counting) -> None:
    folder = tmp_path / "index"
    first = IndexStore.open(h264, folder)
    made = first.scan(h264, START, END)
    assert first.scan(h264, START, END) is made  # the same run asks again: no new read
    first.save()
    assert reads.calls == 1 and len(list(folder.glob("*.json"))) == 1

    later = IndexStore.open(h264, folder)  # the next cut
    assert later.scan(h264, START, END) == made
    assert (later.hits, later.misses, reads.calls) == (1, 0, 1)
    later.scan(h264, Fraction(5), Fraction(6))  # another range: read
    assert reads.calls == 2


def test_a_changed_file_is_read_afresh(h264: Path, tmp_path: Path, reads: Counting) -> None:
    folder = tmp_path / "index"
    store = IndexStore.open(h264, folder)
    store.scan(h264, START, END)
    store.save()
    stat = h264.stat()
    os.utime(h264, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # saved again
    IndexStore.open(h264, folder).scan(h264, START, END)
    assert reads.calls == 2


def test_a_broken_cache_file_is_ignored_and_made_again(
    h264: Path, tmp_path: Path, reads: Counting
) -> None:
    folder = tmp_path / "index"
    store = IndexStore.open(h264, folder)
    made = store.scan(h264, START, END)
    store.save()
    assert store.file is not None
    window = f"{START}|{END}|1"
    for broken in (
        "{not json",
        '{"format": 1, "windows": []}',
        json.dumps({"format": 1, "windows": {window: {"packets": "many"}}}),
        json.dumps({"format": 999, "windows": {}}),
    ):
        store.file.write_text(broken, encoding="utf-8")
        again = IndexStore.open(h264, folder)
        assert again.scan(h264, START, END) == made
        again.save()
        assert again.misses == 1
        assert IndexStore.open(h264, folder).scan(h264, START, END) == made  # mended
    assert reads.calls == 5


def test_a_cut_leaves_its_index_and_the_next_cut_reads_no_packets(
    h264: Path, tmp_path: Path, reads: Counting
) -> None:
    folder = user_cache() / "index"
    first = run("cut", h264, "-o", tmp_path / "eins.mp4", "--range", "1-3", "--range", "5-7")
    assert first.exit_code == 0, first.output
    assert reads.calls == 2
    assert (folder / f"{index_cache.file_key(h264)}.json").is_file()
    second = run("cut", h264, "-o", tmp_path / "zwei.mp4", "--range", "1-3", "--range", "5-7")
    assert second.exit_code == 0, second.output
    assert reads.calls == 2
    assert (tmp_path / "eins.mp4").read_bytes() == (tmp_path / "zwei.mp4").read_bytes()


def test_a_refused_cut_leaves_no_index(h264: Path, tmp_path: Path) -> None:
    broken = flip_bit(h264, tmp_path / "kaputt.mp4")
    result = run("cut", broken, "-o", tmp_path / "clip.mp4", "--range", "3-5")
    one_line_error(result, "damaged at 0:04.")
    assert not (user_cache() / "index" / f"{index_cache.file_key(broken)}.json").exists()


def test_the_oldest_windows_go_first(
    h264: Path, tmp_path: Path, reads: Counting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_cache, "MAX_WINDOWS", 2)
    folder = tmp_path / "index"
    store = IndexStore.open(h264, folder)
    for start in (1, 3, 5):
        store.scan(h264, Fraction(start), Fraction(start + 1))
    store.save()
    later = IndexStore.open(h264, folder)
    later.scan(h264, Fraction(5), Fraction(6))
    later.scan(h264, Fraction(3), Fraction(4))
    assert reads.calls == 3  # both remembered
    later.scan(h264, Fraction(1), Fraction(2))
    assert reads.calls == 4  # dropped: read again
