"""Benchmark: clipper's smart cut against smartcut and the `-c copy` floor, publishing, scaling.

In one run, on generated sources (cached in bench/work/; every frame carries its frame
number mod 1500 as a barcode, so each output is checked for frame accuracy):

- Zoom-like: 1280x720 25 fps H.264 High, 2 B-frames, 10 s GOP, AAC mono 32 kHz, 30 min;
- Teams-like: 1280x720 25 fps H.264 Main, no B-frames, 2 s GOP, 30 min;
- BBB-like: 1280x720 25 fps H.264 High at film quality, 3 B-frames (pyramid), 10 s GOP;

it cuts the same six ranges (about 5 minutes) with `clipper cut` (auto), smartcut (PyPI,
in its own venv: it pins its own PyAV) and the copy floor (`ffmpeg -ss/-to -c copy` per
range, joined by the concat demuxer: not frame-accurate), and prints wall time, CPU time
(of all child processes), re-encoded frames, output size, frame accuracy and the ratios
clipper/smartcut and clipper/floor. Then a publish table (the web copy of the Zoom-like
recording against `ffmpeg -c copy`; a VP8 transcode against plain ffmpeg x264 with the
same settings) and a scaling table (clipper cut of the same ranges from 10 min, 30 min
and 3 h, with the peak memory of clipper's process and of its largest ffmpeg child).
Every clipper cut here is the first cut of its recording: clipper's per-user cache
(remembered damage verdicts, packet indexes) is made fresh in bench/work/user-cache.
Ratios, not absolute times, are what to compare (2 cores, shared machine).

    .venv/bin/python bench/smart_cut.py          # makes bench/work/smartcut-venv if missing
    SMARTCUT=/path/to/smartcut .venv/bin/python bench/smart_cut.py
    CLIPPER_BEFORE=/path/to/old/checkout ...   # adds a row: the same cut by older code
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from cut_scaling import BARCODE_BITS, BARCODE_BLOCK, WORK, loop_recording

from clipper.media.bitrate import RateRule, audio_bitrate, measure_source, video_rate_options
from clipper.media.derive import make_web_copy
from clipper.media.ffmpeg import ffmpeg_exe, run_ffmpeg
from clipper.media.keyframes import nal_types
from clipper.media.probe import probe
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
SCALING_RANGES = "1:12.36 - 1:58.20 eins\n5:03.48 - 5:41.08 zwei\n8:47.12 - 9:55.64 drei\n"
LOOP_FRAMES = 1500  # the recordings repeat a one-minute take: barcodes count modulo this
FPS = 25
CLIPPER = [sys.executable, "-m", "clipper"]

# name: (x264 options of the one-minute take, what it stands for)
SOURCES = {
    "Zoom-like": (
        ["-preset", "ultrafast", "-bf", "2", "-g", "250", "-crf", "30",
         "-x264-params", "8x8dct=1"],
        "H.264 High, 2 B-frames, 10 s GOP",
    ),
    "Teams-like": (
        ["-preset", "ultrafast", "-profile:v", "main", "-bf", "0", "-g", "50", "-crf", "28"],
        "H.264 Main, no B-frames, 2 s GOP",
    ),
    "BBB-like": (
        ["-preset", "veryfast", "-bf", "3", "-b-pyramid", "normal", "-g", "250", "-crf", "22"],
        "H.264 High, 3 B-frames (pyramid), 10 s GOP, film quality",
    ),
}  # fmt: skip


@dataclass
class Row:
    name: str
    wall: float | None
    cpu: float | None = None
    reencoded: int | None = None
    size: int | None = None
    accurate: str = "-"
    note: str = ""


def make_take(path: Path, x264: list[str]) -> Path:
    """A one-minute 1280x720 take with a frame-number barcode and pink-noise sound."""
    if path.exists():
        return path
    width = BARCODE_BITS * BARCODE_BLOCK
    video = "testsrc2=size=1280x720:rate=25:duration=60"
    code = (
        f"color=c=gray:size={width}x16:rate=25:duration=60,format=gray,"
        f"geq=lum='255*mod(floor(N/pow(2,floor(X/{BARCODE_BLOCK}))),2)'"
    )
    tmp = path.with_suffix(".partial.mp4")
    run_ffmpeg(
        ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", "anoisesrc=d=60:c=pink:r=32000:a=0.1"]
        + ["-f", "lavfi", "-i", code, "-filter_complex", "[0:v][2:v]overlay=0:0[v]"]
        + ["-map", "[v]", "-map", "1:a", "-c:v", "libx264", *x264, "-pix_fmt", "yuv420p"]
        + ["-c:a", "aac", "-ac", "1", "-b:a", "32k", "-shortest", "-y", str(tmp)],
        what=f"making {path.name}",
    )
    tmp.rename(path)
    return path


def measured(
    cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None
) -> tuple[float, float]:
    """Wall time and CPU time (user + system of all the command's processes) of a run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    subprocess.run(cmd, check=True, env=env, cwd=cwd, **quiet)  # type: ignore[call-overload]
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# `python -m clipper` that tells, on its last stderr line, the peak memory (ru_maxrss, KiB)
# of its own process and of its largest child (ffmpeg)
PEAK = (
    "import json, resource, runpy, sys\n"
    "sys.argv[0] = 'clipper'\n"
    "try:\n"
    "    runpy.run_module('clipper', run_name='__main__', alter_sys=True)\n"
    "finally:\n"
    "    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "    print(json.dumps([own, kids]), file=sys.stderr)\n"
)


def measured_peak(args: list[str]) -> tuple[float, float, int, int]:
    """Wall and CPU time of `clipper ARGS`, and the peak memory (KiB) of clipper's process
    and of its largest child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *args], check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    own, kids = json.loads(done.stderr.strip().splitlines()[-1])
    return wall, cpu, int(own), int(kids)


def timed(work: object) -> tuple[float, float]:
    """Wall and CPU time (this process and its children) of calling `work()`."""
    me, kids = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN
    b1, b2 = resource.getrusage(me), resource.getrusage(kids)
    started = time.perf_counter()
    work()  # type: ignore[operator]
    wall = time.perf_counter() - started
    a1, a2 = resource.getrusage(me), resource.getrusage(kids)
    cpu = sum(
        (a.ru_utime - b.ru_utime) + (a.ru_stime - b.ru_stime) for a, b in ((a1, b1), (a2, b2))
    )
    return wall, cpu


def copy_floor_cmds(source: Path, ranges: list[Range], output: Path) -> list[list[str]]:
    """`-c copy` of each range (snaps to keyframes: not frame-accurate), then one concat."""
    base = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    cmds, listing = [], output.with_suffix(".txt")
    lines = []
    for n, r in enumerate(ranges):
        part = output.with_name(f"{output.stem}-{n}.mp4")
        cmds.append(base + ["-ss", seconds(r.start_ms), "-to", seconds(r.end_ms), "-i",
                            str(source), "-c", "copy", "-avoid_negative_ts", "make_zero",
                            str(part)])  # fmt: skip
        lines.append(f"file '{part.resolve()}'\n")
    listing.write_text("".join(lines))
    cmds.append(base + ["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy",
                        "-movflags", "+faststart", str(output)])  # fmt: skip
    return cmds


def ensure_smartcut() -> str | None:
    """smartcut from SMARTCUT, bench/work/smartcut-venv (made here if missing), or PATH."""
    found = find_smartcut()
    if found:
        return found
    venv = WORK / "smartcut-venv"
    print("installing smartcut into its own venv ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "smartcut"], check=True)
    except subprocess.CalledProcessError:
        return None
    return find_smartcut()


def seconds(ms: int) -> str:
    return f"{ms / 1000:.3f}"


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


def cut_rows(name: str, source: Path, ranges_file: Path, smartcut: str | None) -> list[Row]:
    ranges = parse_ranges(ranges_file.read_text())
    windows = [(r.start_ms / 1000 - 1, r.end_ms / 1000 + 1) for r in ranges]
    source_hashes = set(slice_hashes(source, windows))
    rows = []
    out = WORK / f"out-{name}-clipper.mp4"
    print(f"{name}: clipper cut ...", file=sys.stderr)
    wall, cpu = measured(CLIPPER + ["cut", str(source), "-r", str(ranges_file), "-o", str(out)])
    rows.append(Row("clipper cut (auto)", wall, cpu))
    outputs = [out]
    before = os.environ.get("CLIPPER_BEFORE")  # a checkout of the code to compare with
    if before:
        print(f"{name}: clipper cut from {before} ...", file=sys.stderr)
        out = WORK / f"out-{name}-before.mp4"
        env = dict(os.environ, PYTHONPATH=before)  # and run there: `-m` puts the cwd first
        cmd = CLIPPER + ["cut", str(source.resolve()), "-r", str(ranges_file.resolve())]
        wall, cpu = measured(cmd + ["-o", str(out.resolve())], env=env, cwd=before)
        rows.append(Row("clipper cut (auto), before", wall, cpu))
        outputs.append(out)
    out = WORK / f"out-{name}-smartcut.mp4"
    if smartcut:
        print(f"{name}: smartcut ...", file=sys.stderr)
        keep = ",".join(f"{seconds(r.start_ms)},{seconds(r.end_ms)}" for r in ranges)
        try:
            wall, cpu = measured([smartcut, str(source), str(out), "-k", keep])
            rows.append(Row("smartcut (PyPI)", wall, cpu))
        except subprocess.CalledProcessError as exc:
            rows.append(Row("smartcut (PyPI)", None, note=f"failed: {exc.stderr[-120:]!r}"))
    else:
        rows.append(Row("smartcut (PyPI)", None, note="not installed"))
    outputs.append(out)
    print(f"{name}: ffmpeg -c copy ...", file=sys.stderr)
    out = WORK / f"out-{name}-floor.mp4"
    wall = cpu = 0.0
    for cmd in copy_floor_cmds(source, ranges, out):
        w, c = measured(cmd)
        wall, cpu = wall + w, cpu + c
    rows.append(Row("ffmpeg -c copy (floor)", wall, cpu))
    outputs.append(out)
    for row, path in zip(rows, outputs, strict=True):
        if row.wall is None or not path.exists():
            continue
        print(f"{name}: measuring {path.name} ...", file=sys.stderr)
        row.size = path.stat().st_size
        row.reencoded = reencoded(path, source_hashes)
        row.accurate = frame_accurate(barcodes(path), source, ranges)
    return rows


def print_cut_table(name: str, what: str, rows: list[Row], frames: int) -> None:
    smart = next((r.wall for r in rows if r.name.startswith("smartcut")), None)
    floor = next((r.wall for r in rows if "floor" in r.name), None)
    print(f"\n{name} ({what}, 30 min), six ranges, {frames} frames:\n")
    print("| tool | wall | CPU | re-encoded frames | size | frame-accurate "
          "| / smartcut | / floor |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        wall = f"{r.wall:.1f} s" if r.wall is not None else r.note
        cpu = f"{r.cpu:.1f} s" if r.cpu is not None else "-"
        count = f"{r.reencoded}" if r.reencoded is not None else "-"
        size = f"{r.size / 1e6:.1f} MB" if r.size else "-"
        vs_smart = f"{r.wall / smart:.2f}" if r.wall and smart else "-"
        vs_floor = f"{r.wall / floor:.1f}" if r.wall and floor else "-"
        print(f"| {r.name} | {wall} | {cpu} | {count} | {size} | {r.accurate} "
              f"| {vs_smart} | {vs_floor} |")  # fmt: skip


def publish_table(zoom: Path) -> None:
    print("publish: web copies ...", file=sys.stderr)
    rows = []
    info = probe(zoom, scan_keyframes=False)
    web = WORK / "web-remux.mp4"
    clipper_t = timed(lambda: make_web_copy(info, web))
    plain = [ffmpeg_exe(), "-v", "error", "-i", str(zoom), "-map", "0:v", "-map", "0:a",
             "-c", "copy", "-movflags", "+faststart", "-y",
             str(WORK / "web-plain.mp4")]  # fmt: skip
    rows.append(("web copy, 30 min H.264 (remux)", clipper_t, measured(plain)))
    vp8 = WORK / "talk-vp8-2min.webm"
    if not vp8.exists():
        run_ffmpeg(
            ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=120",
             "-f", "lavfi", "-i", "anoisesrc=d=120:c=pink:r=48000:a=0.1",
             "-c:v", "libvpx", "-b:v", "1M", "-deadline", "realtime", "-cpu-used", "8",
             "-c:a", "libopus", "-b:a", "48k", "-shortest", "-y", str(vp8)],
            what="making the VP8 recording",
        )  # fmt: skip
    info = probe(vp8, scan_keyframes=False)
    clipper_t = timed(lambda: make_web_copy(info, WORK / "web-transcode.mp4"))
    rule, rate = RateRule(), measure_source(vp8)
    caps = [x for k, v in video_rate_options(rule, rate).items() for x in (f"-{k}", str(v))]
    plain = [ffmpeg_exe(), "-v", "error", "-i", str(vp8), "-map", "0:v", "-map", "0:a",
             "-c:v", "libx264", "-preset", "fast", "-crf", "20", "-pix_fmt", "yuv420p",
             "-profile:v", "high", *caps, "-c:a", "aac", "-b:a", audio_bitrate(rule, rate),
             "-movflags", "+faststart", "-y", str(WORK / "web-x264.mp4")]  # fmt: skip
    rows.append(("transcode, 2 min VP8 720p", clipper_t, measured(plain)))
    print("\n| publish | clipper wall / CPU | plain ffmpeg wall / CPU | ratio (wall) |")
    print("|---|---|---|---|")
    for what, (cw, cc), (pw, pc) in rows:
        print(f"| {what} | {cw:.1f} s / {cc:.1f} s | {pw:.1f} s / {pc:.1f} s | {cw / pw:.2f} |")


def scaling_table(take: Path, lengths: list[int]) -> None:
    ranges_file = WORK / "scaling.ranges"
    ranges_file.write_text(SCALING_RANGES)
    rows = []
    for minutes in lengths:
        source = loop_recording(take, WORK / f"zoom-{minutes}min.mp4", minutes)
        print(f"scaling: {minutes} min ...", file=sys.stderr)
        out = WORK / "out-scaling.mp4"
        args = ["cut", str(source), "-r", str(ranges_file), "-o", str(out)]
        rows.append((minutes, source.stat().st_size, *measured_peak(args)))
    print("\n| Zoom-like recording | size | clipper cut, same 3 ranges | CPU | ratio (CPU) "
          "| peak memory clipper | peak memory ffmpeg |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for minutes, size, wall, cpu, own, kids in rows:
        label = f"{minutes // 60} h" if minutes >= 60 else f"{minutes} min"
        ratio = cpu / rows[0][3]
        print(f"| {label} | {size / 1e9:.2f} GB | {wall:.1f} s | {cpu:.1f} s | {ratio:.2f} "
              f"| {own / 1024:.0f} MB | {kids / 1024:.0f} MB |")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["cut", "publish", "scaling"], help="one table only")
    parser.add_argument("--long", type=int, default=180, help="minutes of the longest source")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    # clipper's per-user cache (remembered damage verdicts and packet indexes) made fresh:
    # every cut here is the first cut of its recording
    cache = WORK / "user-cache"
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["CLIPPER_CACHE_DIR"] = str(cache)
    ranges_file = WORK / "six.ranges"
    ranges_file.write_text(RANGES)
    takes = {
        name: make_take(WORK / f"take-{name.split('-')[0].lower()}.mp4", x264)
        for name, (x264, _) in SOURCES.items()
    }
    if args.only in (None, "cut"):
        smartcut = ensure_smartcut()
        for name, (_, what) in SOURCES.items():
            source = loop_recording(takes[name], WORK / f"{name.lower()}-30min.mp4", 30)
            rows = cut_rows(name, source, ranges_file, smartcut)
            frames = sum(round((r.end_ms - r.start_ms) * FPS / 1000) for r in parse_ranges(RANGES))
            print_cut_table(name, what, rows, frames)
    if args.only in (None, "publish"):
        publish_table(loop_recording(takes["Zoom-like"], WORK / "zoom-like-30min.mp4", 30))
    if args.only in (None, "scaling"):
        scaling_table(takes["Zoom-like"], [10, 30, args.long])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
