"""Benchmark: does a cut of many ranges cost time in proportion to the number of ranges?

Cuts 100, 300, 1,500 and 5,000 one-frame ranges, spread evenly over a 4-minute
video-call-like recording (see cut_scaling.py; cached in bench/work/), in accurate mode,
and prints wall time and time per range. Linear means the last column stays flat.

    .venv/bin/python bench/many_ranges.py
    .venv/bin/python bench/many_ranges.py --counts 100 300 --mode auto
"""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction

from cut_scaling import WORK, make_recording

from clipper.cutting.clip import make_clip
from clipper.cutting.modes import CutMode
from clipper.ranges.grammar import Range
from clipper.timecode import fraction_to_ms

FPS = 25
MINUTES = 4


def one_frame_ranges(count: int, frames: int) -> list[Range]:
    """`count` ranges of one frame each, spread evenly over the first `frames` frames."""
    step = frames // count
    ranges = []
    for i in range(count):
        start = Fraction(i * step, FPS)
        ranges.append(
            Range(fraction_to_ms(start), fraction_to_ms(start + Fraction(1, FPS)), line=i + 1)
        )
    return ranges


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 300, 1500, 5000])
    parser.add_argument("--mode", default="accurate", choices=[m.value for m in CutMode])
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    print(f"preparing a {MINUTES}-minute recording ...", file=sys.stderr)
    source = make_recording(WORK / f"call-{MINUTES}min.mp4", MINUTES)
    print(f"| ranges | wall time | per range | frames ({args.mode}) |")
    print("|---|---|---|---|")
    for count in args.counts:
        ranges = one_frame_ranges(count, MINUTES * 60 * FPS)
        started = time.perf_counter()
        result = make_clip(source, ranges, WORK / "many.mp4", mode=CutMode(args.mode))
        took = time.perf_counter() - started
        print(
            f"| {count} | {took:.1f} s | {took / count * 1000:.1f} ms | {result.plan.frames} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
