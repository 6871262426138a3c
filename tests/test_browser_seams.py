"""A smart-cut clip in Chromium: it plays through every seam and shows the right frames.

Copied GOPs carry the source's SPS/PPS and re-encoded parts their own. The test seeks to
just before each seam (between pieces, and between copied and re-encoded parts), reads
the frame-number barcode of the frame shown, plays across the seam and checks that time
advanced, frames were decoded and the frame shown is the one the plan puts there.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from browser import served
from media import SourceSpec

from clipper.cutting.clip import make_clip
from clipper.cutting.cut_plan import CutPlan
from clipper.ranges.read import parse_ranges

SPEC = SourceSpec(seconds=6.0, gop=25, sample_rate=32000)
RANGES = "0:00.5 - 0:03.3 eins\n0:04.3 - 0:06 zwei\n0:03.4 - 0:03.9 drei\n"
STEP = Fraction(1, 25)

CHECK_SEAM = """async ({at, step}) => {
    const v = document.querySelector('video');
    const seek = (x) => new Promise((resolve) => {
        v.addEventListener('seeked', resolve, {once: true});
        v.currentTime = x;
    });
    const barcode = () => {
        const c = document.createElement('canvas');
        c.width = v.videoWidth; c.height = v.videoHeight;
        const g = c.getContext('2d');
        g.drawImage(v, 0, 0);
        const row = g.getImageData(0, 8, c.width, 1).data;
        let n = 0;
        for (let b = 0; b < 12; b++) {
            const i = (b * 20 + 10) * 4;
            const luma = 0.299 * row[i] + 0.587 * row[i + 1] + 0.114 * row[i + 2];
            if (luma > 128) n |= 1 << b;
        }
        return n;
    };
    await seek(at - step / 2);
    const before = barcode();
    const decoded = v.getVideoPlaybackQuality().totalVideoFrames;
    await v.play();
    await new Promise((r) => setTimeout(r, 400));
    v.pause();
    await new Promise((r) => setTimeout(r, 50));
    return {
        before,
        time: v.currentTime,
        decoded: v.getVideoPlaybackQuality().totalVideoFrames - decoded,
        after: barcode(),
        error: v.error ? v.error.code : null,
    };
}"""


def source_frame_at(plan: CutPlan, clip_time: float) -> int:
    """The source frame number the plan shows at `clip_time` in the clip."""
    for piece in plan.frame_plan.pieces:
        if piece.clip_start <= clip_time < piece.clip_end:
            offset = int((Fraction(clip_time) - piece.clip_start) / STEP)
            return round(piece.start / STEP) + offset
    raise AssertionError(f"{clip_time} is past the clip")


@pytest.mark.slow
def test_smart_clip_plays_through_every_seam(source_factory, tmp_path: Path, browser) -> None:
    site = tmp_path / "site"
    site.mkdir()
    result = make_clip(source_factory(SPEC), parse_ranges(RANGES), site / "clip.mp4", mode="smart")
    plan = result.plan
    assert plan is not None and plan.mode == "smart"
    (site / "index.html").write_text(
        '<!doctype html><title>seams</title><video src="clip.mp4" muted preload="auto"></video>'
    )
    seams = [seg.clip_start for seg in plan.segments if seg.clip_start > 0]
    assert len(seams) == 5  # encode|copy|encode, piece, encode|copy, piece
    with served(site) as url:
        page = browser.new_page()
        page.goto(f"{url}/index.html")
        page.wait_for_function("document.querySelector('video').readyState >= 2")
        for seam in seams:
            state = page.evaluate(CHECK_SEAM, {"at": float(seam), "step": float(STEP)})
            where = f"seam at {float(seam):.2f} s: {state}"
            assert state["error"] is None, where
            assert state["before"] == source_frame_at(plan, float(seam - STEP / 2)), where
            assert state["time"] > float(seam) + 0.15, where
            assert state["decoded"] >= 4, where
            shown = source_frame_at(plan, state["time"])
            assert abs(state["after"] - shown) <= 1, where
        page.close()
