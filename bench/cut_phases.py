"""Benchmark: where one `clipper cut` spends its time, phase by phase.

Runs the library calls behind `clipper cut` (plan_cut, then run_cut) in this process on
the bench sources of bench/smart_cut.py (made there, cached in bench/work/), with the
functions of each phase wrapped to add up their wall time, this process's CPU time
(all threads) and the CPU time of the ffmpeg children they waited for. A last row runs
the whole command as a child (`python -m clipper cut`) for the total with start-up.

    .venv/bin/python bench/cut_phases.py                  # Teams-like and Zoom-like
    .venv/bin/python bench/cut_phases.py --source Zoom-like --runs 2

The first run of a source is cold for clipper's caches (the packet index, the damage
verdicts: CLIPPER_CACHE_DIR points into bench/work/ and is emptied first); a second run
(--runs 2) shows what a repeated cut of the same recording costs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cut_scaling import WORK

PHASES = [  # (label, module, function): the module's own name for it is wrapped
    ("probe + ranges", "clipper.workflows", "choose_ranges"),
    ("probe + packet index (planning)", "clipper.cutting.clip", "_plan_frames"),
    ("damage check", "clipper.workflows", "cut_verdict"),
    ("encode parts + audio (ffmpeg)", "clipper.cutting.smart_execute", "encode_parts"),
    ("check encoded params", "clipper.cutting.smart_execute", "_check_encoded_matches"),
    ("splice (PyAV)", "clipper.cutting.smart_execute", "splice_video"),
    ("final remux (ffmpeg)", "clipper.cutting.smart_execute", "run_ffmpeg"),
]
SOURCES = {"Teams-like": "teams-like-30min.mp4", "Zoom-like": "zoom-like-30min.mp4",
           "BBB-like": "bbb-like-30min.mp4"}  # fmt: skip


@dataclass
class Tally:
    wall: float = 0.0
    cpu: float = 0.0
    children: float = 0.0
    calls: int = 0
    nested: list[str] = field(default_factory=list)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def wrap(tallies: dict[str, Tally], label: str, module: Any, name: str) -> Callable[[], None]:
    """Replace module.name with a timed version; returns the undo."""
    original = getattr(module, name)
    tally = tallies.setdefault(label, Tally())

    def timed(*args: Any, **kwargs: Any) -> Any:
        w0, c0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
        k0 = _cpu(resource.RUSAGE_CHILDREN)
        try:
            return original(*args, **kwargs)
        finally:
            tally.wall += time.perf_counter() - w0
            tally.cpu += _cpu(resource.RUSAGE_SELF) - c0
            tally.children += _cpu(resource.RUSAGE_CHILDREN) - k0
            tally.calls += 1

    setattr(module, name, timed)
    return lambda: setattr(module, name, original)


def profile_cut(source: Path, ranges: Path, output: Path) -> tuple[dict[str, Tally], Tally]:
    import importlib

    from clipper.workflows import plan_cut, run_cut

    tallies: dict[str, Tally] = {}
    undo = [wrap(tallies, label, importlib.import_module(m), f) for label, m, f in PHASES]
    total = Tally()
    w0, c0, k0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    try:
        job = plan_cut(source, output, ranges=ranges)
        run_cut(job)
    finally:
        for u in undo:
            u()
    total.wall = time.perf_counter() - w0
    total.cpu = _cpu(resource.RUSAGE_SELF) - c0
    total.children = _cpu(resource.RUSAGE_CHILDREN) - k0
    return tallies, total


def whole_command(source: Path, ranges: Path, output: Path) -> Tally:
    """`python -m clipper cut` as a child: its CPU time includes start-up and imports."""
    k0 = _cpu(resource.RUSAGE_CHILDREN)
    w0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "clipper", "cut", str(source), "-r", str(ranges), "-o", str(output)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return Tally(wall=time.perf_counter() - w0, children=_cpu(resource.RUSAGE_CHILDREN) - k0)


def print_table(name: str, run: int, tallies: dict[str, Tally], total: Tally, cmd: Tally) -> None:
    print(f"\n{name}, run {run}:\n")
    print("| phase | calls | wall | CPU clipper | CPU children | CPU sum | share |")
    print("|---|---|---|---|---|---|---|")
    whole = total.cpu + total.children
    rest = Tally(wall=total.wall, cpu=total.cpu, children=total.children)
    for label, t in tallies.items():
        rest.wall -= t.wall
        rest.cpu -= t.cpu
        rest.children -= t.children
        s = t.cpu + t.children
        print(f"| {label} | {t.calls} | {t.wall:.2f} s | {t.cpu:.2f} s | {t.children:.2f} s "
              f"| {s:.2f} s | {s / whole:.0%} |")  # fmt: skip
    s = rest.cpu + rest.children
    print(f"| everything else | - | {rest.wall:.2f} s | {rest.cpu:.2f} s | {rest.children:.2f} s "
          f"| {s:.2f} s | {s / whole:.0%} |")  # fmt: skip
    print(f"| **plan_cut + run_cut** | - | {total.wall:.2f} s | {total.cpu:.2f} s "
          f"| {total.children:.2f} s | {whole:.2f} s | 100% |")  # fmt: skip
    print(f"| `python -m clipper cut` (child) | - | {cmd.wall:.2f} s | - | - "
          f"| {cmd.children:.2f} s | - |")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", action="append", choices=list(SOURCES))
    parser.add_argument("--runs", type=int, default=1, help="cuts per source (caches warm)")
    args = parser.parse_args()
    cache = WORK / "phases-cache"
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["CLIPPER_CACHE_DIR"] = str(cache)
    ranges = WORK / "six.ranges"
    if not ranges.exists():
        from smart_cut import RANGES

        ranges.write_text(RANGES)
    for name in args.source or ["Teams-like", "Zoom-like"]:
        source = WORK / SOURCES[name]
        if not source.exists():
            print(f"{source} is missing: run bench/smart_cut.py --only cut once", file=sys.stderr)
            return 1
        for run in range(1, args.runs + 1):
            print(f"{name}: run {run} ...", file=sys.stderr)
            tallies, total = profile_cut(source, ranges, WORK / "out-phases.mp4")
            cmd = whole_command(source, ranges, WORK / "out-phases-cmd.mp4")
            print_table(name, run, tallies, total, cmd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
