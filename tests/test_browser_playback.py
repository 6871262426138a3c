"""The published page in a real browser: the videos play and the caption tracks load."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import served
from test_publish import make_project

from clipper.site.build import publish


@pytest.mark.slow
def test_videos_play_and_captions_load(tmp_path: Path, h264_source: Path, browser) -> None:
    make_project(tmp_path, h264_source)
    site = publish(tmp_path).out_dir
    with served(site) as url:
        page = browser.new_page()
        page.goto(f"{url}/events/foerderung/index.html")
        videos = page.locator("video")
        assert videos.count() == 2
        for i in range(2):
            state = page.evaluate(
                """async (i) => {
                    const v = document.querySelectorAll('video')[i];
                    v.muted = true;
                    await v.play();
                    await new Promise(r => setTimeout(r, 700));
                    v.pause();
                    const track = v.textTracks[0];
                    const el = v.querySelector('track');
                    return {
                        time: v.currentTime,
                        frames: v.getVideoPlaybackQuality().totalVideoFrames,
                        mode: track.mode,
                        ready: el.readyState,
                        cues: track.cues ? track.cues.length : -1,
                    };
                }""",
                i,
            )
            assert state["time"] > 0.2 and state["frames"] > 3, state
            assert state["mode"] == "showing" and state["ready"] == 2, state
            assert state["cues"] == 2, state
        page.close()
