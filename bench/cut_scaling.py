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
from clipper.ranges import parse_ranges

RANGES = "0:30 - 0:50 eins\n1:10 - 1:40 zwei\n1:50,5 - 1:58 drei\n"
WORK = Path(__file__).parent / "work"


def make_recording(path: Path, minutes: int) -> Path:
    """A cheap-to-make stand-in for a video call; cached between runs."""
    if path.exists():
        return path
    seconds = minutes * 60
    video = (
        f"testsrc2=size=1280x720:rate=25:duration={seconds},"
        "drawbox=x=0:y=0:w=640:h=360:color=yellow@0.3:t=fill"
    )
    audio = f"anoisesrc=d={seconds}:c=pink:r=32000:a=0.1"
    tmp = path.with_suffix(".partial.mp4")
    run_ffmpeg(
        ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "250", "-crf", "30"]
        + ["-c:a", "aac", "-ac", "1", "-b:a", "32k", "-shortest", "-y", str(tmp)],
        what=f"making a {minutes}-minute test recording",
    )
    tmp.rename(path)
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
