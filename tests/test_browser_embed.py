"""The embed in Debian's Chromium as a city's news post shows it: a page on a second
origin (another host name and port) frames a clip's player page with the snippet's
iframe. The video plays, captions show, `?t=` seeks, the keyboard reaches the player,
the archive link leaves the frame for the event page, nothing else is requested.

Inside a cross-origin frame Playwright's wait_for_function can stall playback (GUIDE §8),
so these tests poll with `evaluate` and short waits."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import served
from test_browser_page import Recorder
from test_embed import BASE, SETTINGS
from test_publish import make_project

from clipper.site.build import PublishResult, publish

pytestmark = pytest.mark.slow
EMBED = "events/foerderung/embed"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, h264_source: Path) -> PublishResult:
    root = tmp_path_factory.mktemp("embed-browser")
    make_project(root, h264_source)
    (root / "clipper.toml").write_text(SETTINGS, encoding="utf-8")
    return publish(root)


@pytest.fixture(scope="module")
def site_url(published: PublishResult) -> Iterator[str]:
    with served(published.out_dir) as url:
        yield url


@pytest.fixture(scope="module")
def news_url(
    published: PublishResult, site_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The city's news post on another origin, with the oEmbed iframes pasted in."""
    clip = json.loads((published.out_dir / EMBED / "zusammenfassung.json").read_text("utf-8"))
    full = json.loads((published.out_dir / EMBED / "gesamtaufzeichnung.json").read_text("utf-8"))
    frame = clip["html"].replace(BASE, site_url + "/")
    seeking = full["html"].replace(BASE, site_url + "/").replace('.html"', '.html?t=3"')
    folder = tmp_path_factory.mktemp("news")
    (folder / "index.html").write_text(
        "<!doctype html><html lang='de'><head><meta charset='utf-8'><title>Neuigkeiten"
        f"</title></head><body><main><h1>Neuigkeiten</h1>{frame}{seeking}</main></body></html>",
        encoding="utf-8",
    )
    with served(folder) as url:
        yield url.replace("127.0.0.1", "localhost") + "/index.html"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.recorder = Recorder(tab)
    yield tab
    context.close()


def poll(page: Any, check: Callable[[], Any], what: str, seconds: float = 180) -> Any:
    """Wait for `check()`; Playwright's own wait (not time.sleep) so frame events arrive."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, what
        page.wait_for_timeout(100)


def frame_named(page: Any, name: str) -> Any:
    return poll(
        page,
        lambda: next((f for f in page.frames if f"/embed/{name}.html" in f.url), None),
        f"the {name} frame",
    )


STATE = """() => {
    const v = document.querySelector('video');
    const t = [...v.textTracks].find(t => t.kind === 'captions');
    return {time: v.currentTime, paused: v.paused, ready: v.readyState, mode: t.mode,
            cues: t.cues ? t.cues.length : -1,
            loaded: v.querySelector('track[kind=captions]').readyState,
            frames: v.getVideoPlaybackQuality().totalVideoFrames};
}"""


def test_embedded_clip_plays_with_captions_on_another_origin(
    page: Any, news_url: str, site_url: str
) -> None:
    page.goto(news_url)
    frame = frame_named(page, "zusammenfassung")
    frame.wait_for_load_state()
    frame.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    state = poll(
        page,
        lambda: (s := frame.evaluate(STATE))["time"] > 0.3 and s["loaded"] == 2 and s,
        "the clip plays and its captions load",
    )
    assert state["mode"] == "showing" and state["cues"] == 2 and state["frames"] > 3, state
    link = frame.evaluate(
        """() => { const a = document.querySelector('.archive-link a');
                   return {href: a.href, target: a.target, text: a.textContent}; }"""
    )
    assert link == {
        "href": f"{site_url}/events/foerderung/index.html",
        "target": "_top",
        "text": "Gesamte Aufzeichnung im Videoarchiv",
    }
    hosts = page.recorder.hosts()
    assert hosts == {site_url.split("//")[1], news_url.split("/")[2]}, page.recorder.urls
    assert page.context.cookies() == []


def test_embed_reads_t_and_the_keyboard_reaches_the_player(page: Any, news_url: str) -> None:
    page.goto(news_url)
    frame = frame_named(page, "gesamtaufzeichnung")
    poll(
        page,
        lambda: (s := frame.evaluate(STATE))["ready"] >= 1 and abs(s["time"] - 3) < 0.3,
        "the full recording starts at ?t=3",
    )
    page.keyboard.press("Tab")
    focused = poll(
        page,
        lambda: next(
            (
                f.evaluate("() => document.hasFocus() && document.activeElement.tagName")
                for f in page.frames
                if "/embed/" in f.url and f.evaluate("() => document.hasFocus()")
            ),
            None,
        ),
        "Tab moves into the first frame",
    )
    assert focused == "VIDEO"


def test_archive_link_opens_the_event_page_outside_the_frame(
    page: Any, news_url: str, site_url: str
) -> None:
    page.goto(news_url)
    frame = frame_named(page, "zusammenfassung")
    frame.click(".archive-link a")
    poll(
        page,
        lambda: page.url == f"{site_url}/events/foerderung/index.html",
        "the top page navigates",
    )
    assert page.locator("h1").inner_text() == "Förderbescheid für das Labor"


def test_axe_core_finds_no_violations_on_the_embed_page(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/{EMBED}/zusammenfassung.html")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
