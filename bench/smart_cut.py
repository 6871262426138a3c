"""Benchmark: smart cut against every other way of cutting the same six ranges.

Builds the reference workload itself (cached in bench/work/): a 30-minute 1280x720 25 fps
H.264 High recording with B-frames and a 10 s GOP, AAC mono 32 kHz, and six ranges of
30-70 s spread over it (about 5 minutes). Every frame carries its frame number (mod 1500,
the recording repeats a one-minute take) as a barcode, so each output is checked for
frame accuracy by reading back which frames it holds. Then it times, on the same files:
`clipper cut` in each mode, the PyPI tool `smartcut`, and an ffmpeg re-encode with
`-ss/-to` per input and the concat filter; and `clipper cut` (auto) on a 2-hour recording
with the same ranges, to show the cut time does not grow with the recording.

    .venv/bin/python bench/smart_cut.py
    SMARTCUT=/path/to/smartcut .venv/bin/python bench/smart_cut.py

smartcut is not a dependency: the script looks for it in bench/work/smartcut-venv (make it
with `python3 -m venv bench/work/smartcut-venv && bench/work/smartcut-venv/bin/pip install
smartcut`), then on PATH; without it the table says so.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from cut_scaling import BARCODE_BITS, BARCODE_BLOCK, WORK, loop_recording, make_recording

from clipper.cutting.clip import plan_mode
from clipper.cutting.modes import CutMode
from clipper.media.ffmpeg import ffmpeg_exe
from clipper.media.keyframes import nal_types
from clipper.ranges.grammar import Range
from clipper.ranges.read import parse_ranges

RANGES = """\
1:12.36 - 1:58.20 eins
5:03.48 - 5:41.08 zwei
9:47.12 - 10:55.64 drei
14:20.80 - 15:02.16 vier
19:33.28 - 20:37.92 fünf
26:05.04 - 26:44.52 sechs
"""
LOOP_FRAMES = 1500  # the recording repeats a one-minute take: barcodes count modulo this
FPS = 25
CLIPPER = [sys.executable, "-m", "clipper"]


@dataclass
class Row:
    name: str
    seconds: float | None
    reencoded: int | None = None
    accurate: str = "-"
    note: str = ""


def seconds(ms: int) -> str:
    return f"{ms / 1000:.3f}"


def run(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def ffmpeg_concat_cmd(source: Path, ranges: list[Range], output: Path) -> list[str]:
    """What a user would type: -ss/-to per input, the concat filter, one encode."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error"]
    for r in ranges:
        cmd += ["-ss", seconds(r.start_ms), "-to", seconds(r.end_ms), "-i", str(source)]
    streams = "".join(f"[{i}:v][{i}:a]" for i in range(len(ranges)))
    graph = f"{streams}concat=n={len(ranges)}:v=1:a=1[v][a]"
    return cmd + [
        "-filter_complex", graph, "-map", "[v]", "-map", "[a]",
        "-c:v", "libx264", "-preset", "fast", "-crf", "18", "-c:a", "aac",
        "-movflags", "+faststart", "-y", str(output),
    ]  # fmt: skip


def find_smartcut() -> str | None:
    configured = os.environ.get("SMARTCUT")
    if configured:
        return configured
    local = WORK / "smartcut-venv" / "bin" / "smartcut"
    return str(local) if local.exists() else shutil.which("smartcut")


def barcodes(path: Path) -> list[int]:
    """The frame number every frame of `path` shows (decoded by ffmpeg, top strip only)."""
    width = BARCODE_BITS * BARCODE_BLOCK
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v:0", "-fps_mode", "passthrough"]
        + ["-vf", f"crop={width}:16:0:0", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        check=True,
        capture_output=True,
    ).stdout
    frames = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 16, width)
    bits = frames[:, 8, BARCODE_BLOCK // 2 :: BARCODE_BLOCK] > 128
    return [int(v) for v in (bits * (1 << np.arange(BARCODE_BITS))).sum(axis=1)]


def frame_accurate(shown: list[int], source: Path, ranges: list[Range]) -> str:
    """'yes' when the output is the ranges' frames, each piece within one frame of its ends."""
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        origin = Fraction(stream.start_time or 0) * Fraction(stream.time_base)
    step = Fraction(1, FPS)

    def distance(a: int, b: int) -> int:
        d = (a - b) % LOOP_FRAMES
        return min(d, LOOP_FRAMES - d)

    at = 0
    for r in ranges:
        first = round((Fraction(r.start_ms, 1000) - origin) / step)
        end = round((Fraction(r.end_ms, 1000) - origin) / step)
        if at >= len(shown) or distance(shown[at], first % LOOP_FRAMES) > 1:
            got = shown[at] if at < len(shown) else "nothing"
            return f"no (piece {r.label} starts at frame {got}, asked {first % LOOP_FRAMES})"
        # follow the run of consecutive frames, at most one frame past the asked end
        length = 1
        limit = end - first + 2
        while (
            at + length < len(shown)
            and length < limit
            and shown[at + length] == (shown[at + length - 1] + 1) % LOOP_FRAMES
        ):
            length += 1
        stop = (shown[at + length - 1] + 1) % LOOP_FRAMES
        if distance(stop, end % LOOP_FRAMES) > 1:
            return f"no (piece {r.label} ends before frame {stop}, asked {end % LOOP_FRAMES})"
        at += length
    return "yes" if at == len(shown) else f"no ({len(shown) - at} frames too many)"


def slice_hashes(path: Path, windows: list[tuple[float, float]] | None = None) -> list[bytes]:
    """A hash of the coded picture data of each video packet (parameter sets left out)."""
    hashes = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        tb = Fraction(stream.time_base)
        for lo, hi in windows or [(0.0, float("inf"))]:
            if windows:
                container.seek(int(lo / tb), stream=stream, backward=True)
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                if packet.pts * tb > hi:
                    break
                hashes.append(_slice_hash(bytes(packet)))
    return hashes


def _slice_hash(data: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    pos = 0
    while pos + 4 < len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        if nal_types(data[pos : pos + 4 + size]) in ([1], [5]):
            digest.update(data[pos + 4 : pos + 4 + size])
        pos += 4 + size
    return digest.digest()


def reencoded(output: Path, source_hashes: set[bytes]) -> int:
    return sum(1 for h in slice_hashes(output) if h not in source_hashes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", type=int, default=120, help="minutes of the long recording")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    print("preparing the recordings ...", file=sys.stderr)
    base = make_recording(WORK / "call-1min-barcode.mp4", 1, barcode=True)
    source = loop_recording(base, WORK / "call-30min.mp4", 30)
    long_source = loop_recording(base, WORK / f"call-{args.long}min.mp4", args.long)
    ranges_file = WORK / "six.ranges"
    ranges_file.write_text(RANGES)
    ranges = parse_ranges(RANGES)
    windows = [(r.start_ms / 1000 - 1, r.end_ms / 1000 + 1) for r in ranges]
    source_hashes = set(slice_hashes(source, windows))
    total_frames = plan_mode(source, ranges, mode=CutMode.accurate).frames

    rows: list[Row] = []
    for mode in ("auto", "smart", "keyframe", "accurate"):
        print(f"clipper --mode {mode} ...", file=sys.stderr)
        out = WORK / f"out-{mode}.mp4"
        took = run(CLIPPER + ["cut", str(source), "-r", str(ranges_file), "-o", str(out)]
                   + ["--mode", mode])  # fmt: skip
        rows.append(Row(f"clipper cut --mode {mode}", took))
    smartcut = find_smartcut()
    if smartcut:
        print("smartcut ...", file=sys.stderr)
        keep = ",".join(f"{seconds(r.start_ms)},{seconds(r.end_ms)}" for r in ranges)
        out = WORK / "out-smartcut.mp4"
        try:
            rows.append(Row("smartcut (PyPI)", run([smartcut, str(source), str(out), "-k", keep])))
        except subprocess.CalledProcessError as exc:
            rows.append(Row("smartcut (PyPI)", None, note=f"failed: {exc.stderr[-200:]!r}"))
    else:
        rows.append(Row("smartcut (PyPI)", None, note="not installed"))
    print("ffmpeg -ss/-to + concat filter ...", file=sys.stderr)
    out = WORK / "out-ffmpeg.mp4"
    rows.append(Row("ffmpeg -ss/-to + concat", run(ffmpeg_concat_cmd(source, ranges, out))))

    outputs = {
        "clipper cut --mode auto": "auto", "clipper cut --mode smart": "smart",
        "clipper cut --mode keyframe": "keyframe", "clipper cut --mode accurate": "accurate",
        "smartcut (PyPI)": "smartcut", "ffmpeg -ss/-to + concat": "ffmpeg",
    }  # fmt: skip
    for row in rows:
        path = WORK / f"out-{outputs[row.name]}.mp4"
        if row.seconds is None or not path.exists():
            continue
        print(f"measuring {path.name} ...", file=sys.stderr)
        row.reencoded = reencoded(path, source_hashes)
        row.accurate = frame_accurate(barcodes(path), source, ranges)

    print("clipper --mode auto on the long recording ...", file=sys.stderr)
    long_out = WORK / "out-auto-long.mp4"
    long_took = run(CLIPPER + ["cut", str(long_source), "-r", str(ranges_file), "-o",
                               str(long_out), "--mode", "auto"])  # fmt: skip

    reference = next((r.seconds for r in rows if r.name.startswith("smartcut")), None)
    print(f"\nSix ranges, {total_frames} frames ({total_frames / FPS:.1f} s) of a 30-minute "
          "1280x720 H.264 High recording (10 s GOP, B-frames), 2 cores:\n")  # fmt: skip
    print("| tool | wall time | ratio to smartcut | frames re-encoded | frame-accurate |")
    print("|---|---|---|---|---|")
    for row in rows:
        took = f"{row.seconds:.1f} s" if row.seconds is not None else row.note
        ratio = f"{row.seconds / reference:.2f}" if row.seconds and reference else "-"
        count = f"{row.reencoded} of {total_frames}" if row.reencoded is not None else "-"
        print(f"| {row.name} | {took} | {ratio} | {count} | {row.accurate} |")
    auto = rows[0].seconds or 0.0
    print("\n| recording | size | clipper cut --mode auto | ratio |")
    print("|---|---|---|---|")
    for minutes, path, took in ((30, source, auto), (args.long, long_source, long_took)):
        size = path.stat().st_size / 1e9
        print(f"| {minutes} min | {size:.1f} GB | {took:.1f} s | {took / auto:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
