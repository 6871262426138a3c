"""Benchmark: a smart cut's sound, encoded whole (as before) or copied with only the seams
encoded (now), in CPU time.

On two generated 8-minute recordings (cached in bench/work/): Zoom-like (AAC mono 32 kHz,
64 kbit/s) and Teams-like (AAC stereo 48 kHz, 128 kbit/s), both 640x360 H.264 with a 2 s
GOP, it cuts six ranges (5 minutes) and thirty ranges (5 minutes) in smart mode and
prints, per way of making the sound, the CPU time (the process's own and its children's:
the window encoding runs in-process through PyAV, the whole encode in an ffmpeg child) of
the sound alone and of the whole cut, and their ratios. Each measurement runs in its own
process, one after the other; compare the ratios (2 cores, shared machine).

    .venv/bin/python bench/smart_audio.py
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

from cut_scaling import WORK

from clipper.media.ffmpeg import run_ffmpeg

MINUTES = 8
SOURCES = {
    "Zoom-like": (32000, 1, "64k"),
    "Teams-like": (48000, 2, "128k"),
}
SIX = """\
0:12.36 - 1:08.20 eins
1:33.48 - 2:21.08 zwei
2:47.12 - 3:55.64 drei
4:20.80 - 5:02.16 vier
5:33.28 - 6:17.92 fünf
6:35.04 - 7:21.52 sechs
"""


def _at(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}.52"


THIRTY = "".join(f"{_at(i * 16)} - {_at(i * 16 + 10)} r{i}\n" for i in range(30))


def make_source(name: str) -> Path:
    """An 8-minute call-like recording with pink-noise sound; cached between runs."""
    rate, channels, bitrate = SOURCES[name]
    path = WORK / f"audio-{name.lower()}-{MINUTES}min.mp4"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    seconds = MINUTES * 60
    video = f"testsrc2=size=640x360:rate=25:duration={seconds}"
    layout = "mono" if channels == 1 else "stereo"
    sound = f"anoisesrc=d={seconds}:c=pink:r={rate}:a=0.1,aformat=channel_layouts={layout}"
    tmp = path.with_suffix(".partial.mp4")
    run_ffmpeg(
        ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", sound, "-map", "0:v", "-map", "1:a"]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-crf", "30"]
        + ["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", bitrate, "-shortest", "-y", str(tmp)],
        what=f"making the {name} recording",
    )
    tmp.rename(path)
    return path


def cpu() -> float:
    """CPU seconds of this process and its finished children so far."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(way: str, what: str, source: Path, ranges: str, output: Path) -> None:
    """One measurement, in this (fresh) process; prints a JSON line."""
    import clipper.cutting.smart_execute as smart_execute
    from clipper.cutting.clip import make_clip, plan_mode
    from clipper.cutting.execute import EncodeSettings
    from clipper.cutting.modes import CutMode
    from clipper.cutting.smart_audio import sound_plan, write_sound
    from clipper.cutting.smart_parts import audio_args
    from clipper.media.ffmpeg import run_ffmpeg
    from clipper.ranges.read import parse_ranges

    plan = plan_mode(source, parse_ranges(ranges), mode=CutMode.smart)
    planned = sound_plan(plan)
    assert planned is not None, "the bench's sources are plain AAC-LC"
    frames = {"copied": planned[0].copied_frames, "encoded": planned[0].encoded_frames}
    if way == "whole":  # the code before: the clip's whole sound in one ffmpeg run
        smart_execute.sound_plan = lambda plan: None  # type: ignore[assignment]
    start = cpu()
    if what == "cut":
        make_clip(source, parse_ranges(ranges), output, planned=plan)
    elif way == "whole":
        settings = EncodeSettings().for_source(source)
        run_ffmpeg(audio_args(plan, output, settings.audio_bitrate), what="sound")
    else:
        write_sound(plan, *planned, output)
    used = cpu() - start
    clip_s = float(plan.duration)
    print(
        json.dumps({"cpu": used, "clip_s": clip_s, "pieces": len(plan.frame_plan.pieces), **frames})
    )


def measure(way: str, what: str, source: Path, ranges: str) -> dict[str, float]:
    output = WORK / ("bench-sound.m4a" if what == "sound" else "bench-cut.mp4")
    run = subprocess.run(
        [sys.executable, __file__, "--child", way, what, str(source), ranges, str(output)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    output.unlink(missing_ok=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=5, metavar=("WAY", "WHAT", "SOURCE", "RANGES", "OUT"))
    args = parser.parse_args()
    if args.child:
        way, what, source, ranges, output = args.child
        child(way, what, Path(source), ranges, Path(output))
        return 0
    print(
        "| source | ranges | clip | sound frames copied / encoded | sound CPU whole | "
        "sound CPU seams | ratio | cut CPU whole | cut CPU seams | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in SOURCES:
        source = make_source(name)
        for label, ranges in (("6", SIX), ("30", THIRTY)):
            got = {
                (w, x): measure(w, x, source, ranges)
                for x in ("sound", "cut")
                for w in ("whole", "seams")
            }
            info = got[("seams", "sound")]
            sw, ss = got[("whole", "sound")]["cpu"], got[("seams", "sound")]["cpu"]
            cw, cs = got[("whole", "cut")]["cpu"], got[("seams", "cut")]["cpu"]
            print(
                f"| {name} | {label} | {info['clip_s']:.0f} s | "
                f"{info['copied']:.0f} / {info['encoded']:.0f} | {sw:.2f} s | {ss:.2f} s | "
                f"{sw / ss:.1f} | {cw:.2f} s | {cs:.2f} s | {cw / cs:.2f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
