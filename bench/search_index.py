"""What the search costs as the archive grows: index size on disk, and bytes a browser
loads for one query, for 10 and 200 events with generated transcripts.

Each event is a two-hour council meeting: a summary clip (40 lines) and the full
recording (900 lines of 8 s), i.e. 940 searchable lines per event, written from a German
vocabulary with a few rare words. The pages are rendered and indexed as publish does
(render_site, then clipper/site/search.py); no media are made. Each query runs in a fresh
browser context (nothing cached), and counts the bytes of every response from pagefind/
(the search code, its WebAssembly, the index chunks and the fragments of the first 10
hits, which suche.html shows). Needs Debian's chromium (as the browser tests).

    .venv/bin/python bench/search_index.py
"""

from __future__ import annotations

import datetime as dt
import random
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from clipper.progress import SilentReporter
from clipper.site.model import EventPage, Video
from clipper.site.render import render_site
from clipper.site.search import INDEX_DIR, build_search_index
from clipper.site.server import make_app
from clipper.subtitles.model import Cue

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from browser import CHROMIUM_ARGS, chromium_path

WORDS = [
    "Stadt",
    "Rat",
    "Haushalt",
    "Ausschuss",
    "Antrag",
    "Schule",
    "Straße",
    "Radweg",
    "Kita",
    "Sanierung",
    "Bürger",
    "Verwaltung",
    "Förderung",
    "Klima",
    "Wohnung",
    "Verkehr",
    "Beschluss",
    "Vorlage",
    "Sitzung",
    "Jahr",
    "Geld",
    "Bau",
    "Planung",
    "Park",
    "Bibliothek",
    "Feuerwehr",
    "Sport",
    "Halle",
    "Brücke",
    "Kosten",
    "Termin",
    "Frage",
    "Antwort",
    "Bericht",
    "Energie",
]
SPEAKERS = ["Bürgermeisterin", "Kämmerer", "Ratsfrau Yilmaz", "Ratsherr Becker"]
FULL_LINES, CLIP_LINES = 900, 40
QUERIES = [
    ("a word in every event", "Haushalt"),
    ("an inflected form", "Haushaltsausschüsse"),
    ("a rare word (one line)", "Zeppelinlandeplatz"),
    ("a phrase", "Sanierung der Brücke"),
]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 14))
    return " ".join(words).capitalize() + "."


def event(number: int, rng: random.Random) -> EventPage:
    def cues(count: int) -> list[Cue]:
        made = []
        for i in range(count):
            text = sentence(rng)
            if i % 97 == 5:
                text = text[:-1] + " im Haushaltsausschuss."
            made.append(Cue(i * 8000, i * 8000 + 7500, f"<v {rng.choice(SPEAKERS)}>{text}"))
        return made

    full = cues(FULL_LINES)
    if number == 3:
        full[17] = Cue(17 * 8000, 17 * 8000 + 7500, "Der Zeppelinlandeplatz bleibt geschlossen.")
    videos = [
        Video("clip", "Zusammenfassung", "z.mp4", "z.vtt", "z.jpg", 320_000, cues(CLIP_LINES),
              anchor="clip-zusammenfassung"),
        Video("full", "Gesamtaufzeichnung", "g.mp4", "g.vtt", "g.jpg", 7_200_000, full,
              anchor="gesamtaufzeichnung"),
    ]  # fmt: skip
    slug = f"sitzung-{number:03d}"
    return EventPage(
        slug=slug,
        title=f"Sitzung des Rates Nr. {number}",
        date=dt.date(2024, 1, 1) + dt.timedelta(days=number),
        language="de",
        description_html=f"<p>{sentence(rng)} {sentence(rng)}</p>",
        credits_html=None,
        videos=videos,
        href=f"events/{slug}/index.html",
        plain_language_html=f"<p>{sentence(rng)}</p>",
    )


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def serve(site: Path) -> tuple[str, uvicorn.Server, threading.Thread]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(make_app(site), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server, thread


def query_bytes(browser: object, url: str, words: str) -> tuple[int, int, int]:
    """(bytes from pagefind/, of which index chunks + fragments, hits announced)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    sizes: list[tuple[str, int]] = []

    def record(response: object) -> None:
        if f"/{INDEX_DIR}/" in response.url:  # type: ignore[attr-defined]
            sizes.append((response.url, len(response.body())))  # type: ignore[attr-defined]

    page.on("response", record)
    page.goto(f"{url}/suche.html?q={words}")
    page.wait_for_function(
        "() => document.getElementById('suche-status').textContent.includes('Treffer')",
        timeout=300_000,
    )
    page.wait_for_load_state("networkidle")
    status = page.locator("#suche-status").inner_text()
    context.close()
    total = sum(size for _, size in sizes)
    data = sum(size for u, size in sizes if "/index/" in u or "/fragment/" in u)
    hits = 0 if status.startswith("Keine") else int(status.split()[0])
    return total, data, hits


def main() -> None:
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        for count in (10, 200):
            rng = random.Random(count)
            with tempfile.TemporaryDirectory() as tmp:
                site = Path(tmp) / "site"
                render_site([event(n, rng) for n in range(count)], site)
                started = time.perf_counter()
                build_search_index(site, Path(tmp) / "cache", SilentReporter())
                seconds = time.perf_counter() - started
                size, files = folder_size(site / INDEX_DIR)
                url, server, thread = serve(site)
                try:
                    for label, words in QUERIES:
                        total, data, hits = query_bytes(browser, url, words)
                        rows.append((count, size, files, seconds, label, hits, total, data))
                finally:
                    server.should_exit = True
                    thread.join(timeout=60)
        browser.close()
    print(f"{FULL_LINES + CLIP_LINES} transcript lines per event; bytes as served (no gzip)\n")
    print(
        f"{'events':>6} {'index KB':>9} {'files':>6} {'build s':>7}  {'query':<24} "
        f"{'hits':>5} {'loaded KB':>9} {'of it index+fragments KB':>24}"
    )
    for count, size, files, seconds, label, hits, total, data in rows:
        print(
            f"{count:>6} {size / 1000:>9.0f} {files:>6} {seconds:>7.1f}  {label:<24} "
            f"{hits:>5} {total / 1000:>9.1f} {data / 1000:>24.1f}"
        )


if __name__ == "__main__":
    main()
