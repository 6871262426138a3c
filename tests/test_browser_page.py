"""The published event page in Debian's Chromium: what a viewer, a keyboard user, a screen
reader audit (axe-core) and a privacy officer get.

One site is published per module (and a --portable one for the file:// test), then every
test opens it over a server that answers like `clipper serve` (byte ranges).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import served
from test_publish import make_project

from clipper.site.build import PublishResult, publish
from clipper.subtitles import read_subtitles

pytestmark = pytest.mark.slow

EVENT = "events/foerderung/index.html"
SETTINGS = dedent(
    """\
    [site]
    title = "Videoarchiv Musterhausen"
    base_url = "https://video.musterhausen.de/"
    imprint_url = "https://www.musterhausen.de/impressum"

    [accessibility]
    contact_email = "barrierefreiheit@musterhausen.de"
    statement_date = 2026-11-01
    """
)
TEXTS = dedent(
    '''
    plain_language = """
    Die Stadt gibt dem Labor Geld. Das Labor probiert neue Ideen aus.
    """
    visual_description = """
    Zu sehen sind vier Personen in einer Video-Konferenz. Es werden keine Folien gezeigt.
    """
    '''
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, h264_source: Path) -> Path:
    root = tmp_path_factory.mktemp("page")
    event = make_project(root, h264_source)
    toml = event / "event.toml"
    text = toml.read_text(encoding="utf-8").replace("[[clips]]", TEXTS + "\n[[clips]]")
    toml.write_text(text, encoding="utf-8")
    (root / "clipper.toml").write_text(SETTINGS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def published(project: Path) -> PublishResult:
    return publish(project)


@pytest.fixture(scope="module")
def site_url(published: PublishResult) -> Iterator[str]:
    with served(published.out_dir) as url:
        yield url


class Recorder:
    """Every request a page makes, and the status of every media response."""

    def __init__(self, page: Any) -> None:
        self.urls: list[str] = []
        self.statuses: list[tuple[str, int]] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("response", lambda response: self.statuses.append((response.url, response.status)))

    def hosts(self) -> set[str]:
        return {urlsplit(u).netloc for u in self.urls if urlsplit(u).scheme in ("http", "https")}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.recorder = Recorder(tab)
    yield tab
    context.close()


def video_state(page: Any, index: int) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """(i) => {
                const v = document.querySelectorAll('video')[i];
                const captions = [...v.textTracks].find(t => t.kind === 'captions');
                const el = v.querySelector('track[kind=captions]');
                return {
                    time: v.currentTime,
                    paused: v.paused,
                    mode: captions.mode,
                    ready: el.readyState,
                    cues: captions.cues ? captions.cues.length : -1,
                    first: captions.cues && captions.cues.length ? captions.cues[0].text : null,
                };
            }""",
            index,
        )
    )


def wait_for_seek(page: Any, index: int, seconds: float) -> None:
    page.wait_for_function(
        """([i, t]) => {
            const v = document.querySelectorAll('video')[i];
            return v.readyState >= 1 && !v.seeking && Math.abs(v.currentTime - t) < 0.3;
        }""",
        arg=[index, seconds],
        timeout=120_000,
    )


def watch_seeks(page: Any, index: int) -> None:
    """Record where each seek of a video lands (links also start playback, which moves on)."""
    page.evaluate(
        """(i) => {
            const v = document.querySelectorAll('video')[i];
            window.seekedAt = [];
            v.addEventListener('seeked', () => window.seekedAt.push(v.currentTime));
        }""",
        index,
    )


def assert_seeked_to(page: Any, seconds: float) -> None:
    page.wait_for_function("() => window.seekedAt.length > 0", timeout=120_000)
    landed = page.evaluate("() => window.seekedAt[0]")
    assert abs(landed - seconds) < 0.3, landed


def test_publishing_with_settings_and_texts_warns_about_nothing(published: PublishResult) -> None:
    assert published.warnings == []


def test_clip_and_full_recording_play_with_captions_showing(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/{EVENT}")
    assert page.locator("video").count() == 2
    expected_cues = [2, 2]  # the clip keeps both cues (retimed), the recording has two
    for i in range(2):
        played = page.evaluate(
            """async (i) => {
                const v = document.querySelectorAll('video')[i];
                if (!v.paused || v.autoplay) return {autoplay: true};
                v.muted = true;
                await v.play();
                for (let n = 0; n < 50 && v.currentTime < 0.3; n++) {
                    await new Promise(r => setTimeout(r, 100));
                }
                v.pause();
                return {time: v.currentTime, frames: v.getVideoPlaybackQuality().totalVideoFrames};
            }""",
            i,
        )
        assert played.get("time", 0) > 0.2 and played["frames"] > 3, played
        page.wait_for_function(
            "(i) => document.querySelectorAll('video')[i].querySelector('track').readyState == 2",
            arg=i,
        )
        state = video_state(page, i)
        assert state["mode"] == "showing" and state["ready"] == 2, state
        assert state["cues"] == expected_cues[i], state
    # speaker names are visible in the captions themselves
    assert video_state(page, 0)["first"].endswith("Anna Berger: Herzlich willkommen in Lünen!")


def test_chapters_track_loads(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/{EVENT}")
    chapters = page.evaluate(
        """async () => {
            const v = document.querySelector('video');
            const el = v.querySelector('track[kind=chapters]');
            el.track.mode = 'hidden';
            for (let i = 0; i < 50 && el.readyState < 2; i++) {
                await new Promise(r => setTimeout(r, 100));
            }
            return [...el.track.cues].map(c => [c.startTime, c.text]);
        }"""
    )
    assert chapters == [[0, "Begrüßung"], [1.48, "Neue Wege"]]


def test_seeking_uses_byte_ranges(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/{EVENT}")
    page.evaluate("document.querySelectorAll('video')[1].currentTime = 6")
    wait_for_seek(page, 1, 6)
    page.evaluate(
        "() => { const v = document.querySelectorAll('video')[1]; v.muted = true; v.play(); }"
    )
    page.wait_for_function("() => document.querySelectorAll('video')[1].currentTime > 6.2")
    media = [
        s
        for u, s in page.recorder.statuses
        if urlsplit(u).path.endswith("gesamtaufzeichnung.mp4")  # URLs carry ?v=<hash>
    ]
    assert media and all(status == 206 for status in media), media


def test_clicking_a_transcript_cue_seeks_there(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/{EVENT}")
    cue = page.locator("#gesamtaufzeichnung .cue a").nth(1)  # cue-2 starts at 2 s
    watch_seeks(page, 1)
    cue.click()
    assert_seeked_to(page, 2)
    assert "?" not in page.url  # handled by the script, no navigation
    page.wait_for_selector("#gesamtaufzeichnung .cue.is-current[aria-current=true]")


def test_chapter_link_to_the_full_recording_seeks_there(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/{EVENT}")
    watch_seeks(page, 1)
    page.get_by_text("im Gesamtvideo ansehen ab 0:03").click()
    assert_seeked_to(page, 3)


@pytest.mark.parametrize(
    ("suffix", "index", "seconds"),
    [
        ("?t=2", 0, 2),
        ("?v=gesamtaufzeichnung&t=5#gesamtaufzeichnung", 1, 5),
        ("#t=3", 0, 3),
    ],
)
def test_deep_links_seek_on_load_without_playing(
    page: Any, site_url: str, suffix: str, index: int, seconds: float
) -> None:
    page.goto(f"{site_url}/{EVENT}{suffix}")
    wait_for_seek(page, index, seconds)
    assert video_state(page, index)["paused"]  # no autoplay


def test_keyboard_only_tab_to_a_cue_and_enter_seeks(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/{EVENT}")
    target = page.locator("#gesamtaufzeichnung .cue a").nth(1)
    target_handle = target.element_handle()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", target_handle):
            break
    else:
        pytest.fail("the transcript cue cannot be reached with Tab")
    outline = page.evaluate("(el) => getComputedStyle(el).outlineStyle", target_handle)
    assert outline != "none"  # focus is visible
    watch_seeks(page, 1)
    page.keyboard.press("Enter")
    assert_seeked_to(page, 2)


def test_no_request_to_any_other_host(page: Any, site_url: str) -> None:
    for path in ("index.html", EVENT, "barrierefreiheit.html", "datenschutz.html"):
        page.goto(f"{site_url}/{path}")
        page.wait_for_load_state("networkidle")
    host = urlsplit(site_url).netloc
    assert page.recorder.hosts() == {host}, page.recorder.urls
    assert page.context.cookies() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["index.html", EVENT, "barrierefreiheit.html", "datenschutz.html"])
def test_axe_core_finds_no_violations(page: Any, site_url: str, path: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{site_url}/{path}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [320, 1280])
def test_no_horizontal_scrolling_from_phone_to_desktop(
    browser: Any, site_url: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    for path in ("index.html", EVENT, "barrierefreiheit.html"):
        tab.goto(f"{site_url}/{path}")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, width, overflow)
    context.close()


def test_portable_site_shows_captions_from_disk(
    project: Path, browser: Any, tmp_path: Path
) -> None:
    site = publish(project, tmp_path / "portable", portable=True).out_dir
    # the track files stay for downloads; the pages carry them inline
    assert read_subtitles(site / "events/foerderung/zusammenfassung.vtt").cues
    page = browser.new_page()
    page.goto((site / EVENT).as_uri() + "?t=1")
    for i in range(2):
        page.wait_for_function(
            "(i) => document.querySelectorAll('video')[i].querySelector('track').readyState == 2",
            arg=i,
            timeout=120_000,
        )
        state = video_state(page, i)
        assert state["mode"] == "showing" and state["cues"] == 2, state
    wait_for_seek(page, 0, 1)  # the script runs from file:// too
    page.close()


def test_published_pages_stay_within_the_weight_budget(published: PublishResult) -> None:
    from test_render import page_weight

    site = published.out_dir
    for path in sorted(site.rglob("*.html")):
        assert page_weight(path, site) <= 30_000, path


def test_without_javascript_captions_show_and_the_transcript_is_text(
    browser: Any, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site_url}/{EVENT}?t=2")
    transcript = tab.locator("#gesamtaufzeichnung .transcript")
    assert transcript.is_visible()
    assert "0:00 Anna Berger: Herzlich willkommen in Lünen!" in transcript.inner_text()
    # the native player still loads and shows the captions (checked from outside the page)
    tab.wait_for_function(
        "() => document.querySelector('video track').readyState == 2", timeout=120_000
    )
    state = video_state(tab, 0)
    assert state["mode"] == "showing" and state["cues"] == 2, state
    assert state["time"] == 0  # proof that player.js did not run (it would seek to 2 s)
    context.close()
