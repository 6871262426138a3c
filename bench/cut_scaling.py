"""Benchmark: does cutting cost grow with the clip's length rather than the recording's?

Builds two video-call-like recordings (1280x720, 25 fps, H.264 with a 10 s GOP and
B-frames, AAC mono 32 kHz) of different lengths, cuts the same ranges from both with
`clipper cut`'s library function, and prints a table. The ratio column compares each run
with the first, in the same run on the same machine (wall-clock numbers alone are noise).

    .venv/bin/python bench/cut_scaling.py            # 3-minute vs 30-minute recording
    .venv/bin/python bench/cut_scaling.py --short 2 --long 10
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from clipper.cutting.clip import make_clip
from clipper.media.ffmpeg import run_ffmpeg
from clipper.ranges.read import parse_ranges

RANGES = "0:30 - 0:50 eins\n1:10 - 1:40 zwei\n1:50,5 - 1:58 drei\n"
WORK = Path(__file__).parent / "work"


BARCODE_BITS, BARCODE_BLOCK = 12, 20  # frame number mod 4096 along the top edge


def make_recording(path: Path, minutes: int, *, barcode: bool = False) -> Path:
    """A cheap-to-make stand-in for a video call; cached between runs.

    H.264 High with B-frames and a 10 s GOP, AAC mono 32 kHz. With `barcode`, every frame
    shows its frame number as a 12-bit barcode in the top-left corner (so a benchmark can
    read back which frames a clip holds).
    """
    if path.exists():
        return path
    seconds = minutes * 60
    video = (
        f"testsrc2=size=1280x720:rate=25:duration={seconds},"
        "drawbox=x=0:y=0:w=640:h=360:color=yellow@0.3:t=fill"
    )
    audio = f"anoisesrc=d={seconds}:c=pink:r=32000:a=0.1"
    inputs = ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio]
    maps = ["-map", "0:v", "-map", "1:a"]
    if barcode:
        width = BARCODE_BITS * BARCODE_BLOCK
        code = (
            f"color=c=gray:size={width}x16:rate=25:duration={seconds},format=gray,"
            f"geq=lum='255*mod(floor(N/pow(2,floor(X/{BARCODE_BLOCK}))),2)'"
        )
        inputs += ["-f", "lavfi", "-i", code]
        maps = ["-filter_complex", "[0:v][2:v]overlay=0:0[v]", "-map", "[v]", "-map", "1:a"]
    tmp = path.with_suffix(".partial.mp4")
    run_ffmpeg(
        inputs
        + maps
        + ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "250", "-crf", "30"]
        + ["-x264-params", "8x8dct=1", "-pix_fmt", "yuv420p"]  # High profile, as Zoom writes
        + ["-c:a", "aac", "-ac", "1", "-b:a", "32k", "-shortest", "-y", str(tmp)],
        what=f"making a {minutes}-minute test recording",
    )
    tmp.rename(path)
    return path


def loop_recording(base: Path, path: Path, minutes: int) -> Path:
    """A long recording made by repeating `base` (stream copy: seconds, not an encode)."""
    if path.exists():
        return path
    from clipper.media.probe import probe

    loops = -(-minutes * 60_000 // probe(base, scan_keyframes=False).duration_ms)
    listing = path.with_suffix(".txt")
    listing.write_text("".join(f"file '{base.resolve()}'\n" for _ in range(loops)))
    tmp = path.with_suffix(".partial.mp4")
    run_ffmpeg(
        ["-f", "concat", "-safe", "0", "-i", str(listing), "-t", str(minutes * 60)]
        + ["-c", "copy", "-movflags", "+faststart", "-y", str(tmp)],
        what=f"making a {minutes}-minute test recording",
    )
    tmp.rename(path)
    listing.unlink()
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=int, default=3, help="minutes of the short recording")
    parser.add_argument("--long", type=int, default=30, help="minutes of the long recording")
    parser.add_argument("--repeat", type=int, default=2, help="runs per recording (best kept)")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    ranges = parse_ranges(RANGES)
    rows = []
    for minutes in (args.short, args.long):
        print(f"preparing a {minutes}-minute recording ...", file=sys.stderr)
        source = make_recording(WORK / f"call-{minutes}min.mp4", minutes)
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = make_clip(source, ranges, WORK / "clip.mp4")
            best = min(best, time.perf_counter() - started)
        rows.append((minutes, source.stat().st_size, float(result.plan.duration), best))
    base = rows[0][3]
    print(f"| recording | size | clip | cut time (best of {args.repeat}) | ratio |")
    print("|---|---|---|---|---|")
    for minutes, size, clip_s, took in rows:
        print(
            f"| {minutes} min | {size / 1e6:.0f} MB | {clip_s:.1f} s | {took:.2f} s "
            f"| {took / base:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
