"""The search page (suche.html) in Debian's Chromium: a citizen searches the archive for
what was said, follows a hit and lands on the video at that moment; a keyboard user, a
screen reader audit (axe-core) and a privacy officer get what they are promised.

One project with three events is published per module and served like `clipper serve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import served
from test_publish import make_project

from clipper.site.build import PublishResult, publish
from clipper.site.environment import CSP, SEARCH_CSP

pytestmark = pytest.mark.slow

# (slug, title, transcript): the phrase searched for is in one cue of the second event
# only, at 6 s, outside the summary clip's ranges (0.5-2 s, 3-4.5 s), so only the full
# recording's transcript has it.
EVENTS = [
    (
        "haushalt",
        "Sitzung des Haushaltsausschusses",
        """\
        WEBVTT

        00:00:00.500 --> 00:00:02.000
        <v Vorsitzende>Der Haushaltsausschuss ist eröffnet.

        00:00:03.000 --> 00:00:05.000
        <v Kämmerer>Wir beraten den Entwurf für das kommende Jahr.
        """,
    ),
    (
        "schule",
        "Bürgerversammlung zur Schule am Markt",
        """\
        WEBVTT

        00:00:00.500 --> 00:00:02.000
        <v Moderatorin>Guten Abend und willkommen.

        00:00:03.000 --> 00:00:04.500
        <v Moderatorin>Heute geht es um die Grundschule.

        00:00:06.000 --> 00:00:07.500
        <v Baudezernentin>Die Sanierung der Turnhalle beginnt im Frühjahr.
        """,
    ),
    (
        "labor",
        "Förderbescheid für das Labor",
        """\
        WEBVTT

        00:00:00.500 --> 00:00:02.000
        <v Anna Berger>Herzlich willkommen in Lünen!

        00:00:02.000 --> 00:00:05.000
        <v Bürgermeister>Wir gehen neue Wege in der Turnhalle.

        00:00:05.500 --> 00:00:07.000
        Kosten &amp; Nutzen: &lt;b&gt;fett&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;
        """,
    ),
]
PHRASE = "Sanierung der Turnhalle"
PHRASE_EVENT = "Bürgerversammlung zur Schule am Markt"
PHRASE_SECONDS = 6.0


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, h264_source: Path) -> Path:
    root = tmp_path_factory.mktemp("search")
    for number, (slug, title, transcript) in enumerate(EVENTS):
        event = make_project(
            root,
            h264_source,
            slug=slug,
            transcript=dedent(transcript),
            date=f"2021-0{number + 1}-10",
        )
        toml = event / "event.toml"
        text = toml.read_text(encoding="utf-8")
        text = text.replace('title = "Förderbescheid für das Labor"', f'title = "{title}"', 1)
        toml.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def published(project: Path) -> PublishResult:
    return publish(project)


@pytest.fixture(scope="module")
def site_url(published: PublishResult) -> Iterator[str]:
    with served(published.out_dir) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.urls = []
    tab.on("request", lambda request: tab.urls.append(request.url))
    yield tab
    context.close()


def search(page: Any, site_url: str, words: str) -> list[dict[str, str]]:
    """Type `words` into the search field, press Enter, wait for the announcement; the hits."""
    page.goto(f"{site_url}/suche.html")
    field = page.get_by_label("Suchbegriff")
    field.wait_for(state="visible", timeout=120_000)
    field.fill(words)
    field.press("Enter")
    page.wait_for_function(
        "(w) => document.getElementById('suche-status').textContent.includes(w)",
        arg=words,
        timeout=120_000,
    )
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('#suche-treffer > li')].map(li => ({
                title: li.querySelector('h2').textContent,
                where: li.querySelector('.search-where').textContent,
                text: li.querySelector('.search-text').textContent,
                marked: [...li.querySelectorAll('.search-text mark')].map(m => m.textContent),
                href: li.querySelector('a').href,
            }))"""
        )
    )


def test_a_phrase_from_one_cue_finds_that_event_and_opens_its_video_paused_there(
    page: Any, site_url: str
) -> None:
    hits = search(page, site_url, PHRASE)
    first = hits[0]
    assert first["title"] == PHRASE_EVENT, hits
    assert first["where"] == "Gesamtaufzeichnung, bei 0:06", first
    assert "Baudezernentin: Die Sanierung der Turnhalle beginnt im Frühjahr." in first["text"]
    assert {"Sanierung", "Turnhalle"} <= set(first["marked"]), first
    # the link names the video and the moment, not only an anchor
    query = parse_qs(urlsplit(first["href"]).query)
    assert query == {"v": ["gesamtaufzeichnung"], "t": ["6"]}, first["href"]
    status = page.locator("#suche-status")
    assert status.get_attribute("role") == "status"
    assert re.fullmatch(r"\d+ Treffer für „Sanierung der Turnhalle“\.", status.inner_text())

    page.locator("#suche-treffer > li").first.locator("a").click()
    page.wait_for_url(re.compile(r"/events/schule/index\.html\?v=gesamtaufzeichnung&t=6"))
    page.wait_for_function(
        """(t) => {
            const v = document.querySelector('#gesamtaufzeichnung video');
            return v && v.readyState >= 1 && !v.seeking && Math.abs(v.currentTime - t) < 1;
        }""",
        arg=PHRASE_SECONDS,
        timeout=120_000,
    )
    state = page.evaluate(
        """() => { const v = document.querySelector('#gesamtaufzeichnung video');
                   return {time: v.currentTime, paused: v.paused, autoplay: v.autoplay}; }"""
    )
    assert state["paused"] and not state["autoplay"], state
    assert abs(state["time"] - PHRASE_SECONDS) < 1, state


def test_one_video_is_one_hit_with_its_best_line_first_and_the_others_linked(
    page: Any, site_url: str
) -> None:
    # two lines of the same recording match: one with both words, one with one of them
    hits = search(page, site_url, "Turnhalle Frühjahr Grundschule")
    full = [h for h in hits if h["title"] == PHRASE_EVENT and h["where"].startswith("Gesamt")]
    assert len(full) == 1, hits  # the recording is one hit, not one per line
    assert full[0]["where"] == "Gesamtaufzeichnung, bei 0:06", full
    more = page.locator("#suche-treffer > li", has_text="Gesamtaufzeichnung, bei 0:06").locator(
        ".search-more-lines li"
    )
    assert more.count() == 1
    assert more.first.inner_text().startswith("0:03 Moderatorin: Heute geht es um die Grundschule.")
    link = more.first.locator("a")
    assert link.get_attribute("aria-label") == "Gesamtaufzeichnung, bei 0:03"
    query = parse_qs(urlsplit(link.get_attribute("href") or "").query)
    assert query == {"v": ["gesamtaufzeichnung"], "t": ["3"]}, query  # no titles in links


def test_an_inflected_form_finds_its_word(page: Any, site_url: str) -> None:
    hits = search(page, site_url, "Haushaltsausschüsse")
    assert hits, "no hit for an inflected form"
    assert hits[0]["title"] == "Sitzung des Haushaltsausschusses", hits
    assert any("Der Haushaltsausschuss ist eröffnet." in h["text"] for h in hits), hits


def test_a_word_in_several_events_finds_each_and_no_hit_is_announced(
    page: Any, site_url: str
) -> None:
    titles = {h["title"] for h in search(page, site_url, "Turnhalle")}
    assert titles == {PHRASE_EVENT, "Förderbescheid für das Labor"}, titles
    assert search(page, site_url, "Zeppelinlandeplatz") == []
    assert page.locator("#suche-status").inner_text() == "Keine Treffer für „Zeppelinlandeplatz“."


def test_cue_text_is_shown_as_text_never_as_markup(page: Any, site_url: str) -> None:
    (hit,) = search(page, site_url, "Nutzen")
    assert hit["text"] == "Kosten & Nutzen: <b>fett</b> <img src=x onerror=alert(1)>", hit
    assert hit["marked"] == ["Nutzen:"], hit  # Pagefind marks the word as written
    assert page.locator("#suche-treffer img, #suche-treffer b").count() == 0


def test_titles_and_descriptions_are_found_but_not_footers_or_legal_pages(
    page: Any, site_url: str
) -> None:
    hits = search(page, site_url, "Bürgerversammlung")
    assert [h["where"] for h in hits] == ["Veranstaltungsseite (Titel und Beschreibung)"], hits
    assert hits[0]["href"].endswith("/events/schule/index.html")
    # words of the footer, the header and the legal pages are on every page, yet never found
    for words in ("Cookies", "Barrierefreiheit", "Datenschutz", "Suche"):
        assert search(page, site_url, words) == [], words


def test_keyboard_only_search_and_open_a_hit(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/suche.html")
    page.get_by_label("Suchbegriff").wait_for(state="visible", timeout=120_000)
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "suchbegriff":
            break
    else:
        pytest.fail("the search field cannot be reached with Tab")
    page.keyboard.type("Grundschule")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('suche-status').textContent.includes('Grundschule')",
        timeout=120_000,
    )
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('#suche-treffer') !== null"):
            break
    else:
        pytest.fail("no search result can be reached with Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/events/schule/index\.html\?v="))


def test_a_query_in_the_address_is_searched_on_load(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/suche.html?q=Lünen")
    page.wait_for_function(
        "() => document.getElementById('suche-status').textContent.includes('Lünen')",
        timeout=120_000,
    )
    assert (
        page.locator("#suche-treffer > li h2").first.inner_text() == "Förderbescheid für das Labor"
    )


def test_no_request_to_any_other_host_no_cookies_no_storage(page: Any, site_url: str) -> None:
    search(page, site_url, PHRASE)
    host = urlsplit(site_url).netloc
    hosts = {urlsplit(u).netloc for u in page.urls if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {host}, page.urls
    assert any("/pagefind/" in u for u in page.urls)  # the index really was asked
    assert page.context.cookies() == []
    stored = page.evaluate(
        """async () => ({
            local: localStorage.length,
            session: sessionStorage.length,
            databases: indexedDB.databases ? (await indexedDB.databases()).length : 0,
            caches: (await caches.keys()).length,
        })"""
    )
    assert stored == {"local": 0, "session": 0, "databases": 0, "caches": 0}, stored


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violations_on_the_search_page_with_results(
    page: Any, site_url: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    search(page, site_url, "Turnhalle Grundschule")  # a hit with a further line under it
    assert page.locator(".search-more-lines a").count() >= 1
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_only_the_search_page_allows_webassembly(published: PublishResult) -> None:
    site = published.out_dir
    assert "'wasm-unsafe-eval'" in SEARCH_CSP and "'wasm-unsafe-eval'" not in CSP
    policies = {
        path.relative_to(site).as_posix(): re.findall(
            r'http-equiv="Content-Security-Policy" content="([^"]*)"',
            path.read_text(encoding="utf-8"),
        )
        for path in site.rglob("*.html")
    }
    assert policies.pop("suche.html") == [SEARCH_CSP.replace("'", "&#39;")]
    assert len(policies) >= 6
    assert all(found == [CSP.replace("'", "&#39;")] for found in policies.values()), policies


def test_without_javascript_the_page_explains_and_links_the_index(
    browser: Any, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site_url}/suche.html")
    notice = tab.locator("#suche-ohne-skript")
    assert notice.is_visible()
    assert "Die Suche braucht JavaScript." in notice.inner_text()
    assert notice.get_by_role("link").get_attribute("href") == "index.html"
    assert not tab.locator("#suche").is_visible()  # no field that could not work
    context.close()


def test_every_page_links_the_search_page_in_its_header(published: PublishResult) -> None:
    site = published.out_dir
    for path in [site / "index.html", site / "datenschutz.html", *site.glob("events/*/index.html")]:
        html = path.read_text(encoding="utf-8")
        header = html.split('<header class="site-header"', 1)[1].split("</header>", 1)[0]
        root = "../../" if path.parent.parent.name == "events" else ""
        assert f'<a href="{root}suche.html">Suche</a>' in header, path
