"""The publish phase that writes the site's search index (`pagefind/`), with Pagefind.

Runs after the pages are rendered into the staging folder and before the swap: it reads
the rendered event pages (clipper/site/search_records.py says what of them is indexed),
and gives Pagefind each page's indexed part plus one record per video transcript (per half
hour of a long one) whose lines are its sub-results. Pagefind writes a static index split
in small chunks, so a query in the browser loads only the chunks for its words and the
fragments of the hits it shows; German stemming makes
"Haushaltsausschüsse" find "Haushaltsausschuss". Every record is indexed as German (one
index, the language of the search page), also an event published in another language.

Incremental: the index depends only on the indexed pages' HTML, Pagefind's version and
this code. Their fingerprint names a finished index in the project's cache
(`.clipper-cache/search/<key>/`); an unchanged site reuses it (hard links, the same
bytes), anything else builds it anew (in the cache's `tmp/`, renamed when complete).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from clipper.errors import ClipperError
from clipper.files.checksums import fsync_dir
from clipper.progress import Reporter
from clipper.site.cache import place
from clipper.site.search_records import IndexedPage, index_url, read_page, record_html

INDEX_DIR = "pagefind"  # in the site; suche.html's `data-index` points here
LANGUAGE = "de"
BATCH = 100  # records in flight to the Pagefind service at once
FORMAT = 2  # bump when what goes into the index changes meaning
# Pagefind also writes its ready-made search UIs; suche.html has its own (German texts,
# a live region, no inline styles), so those bundles are left out of the site.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


def read_site(site_dir: Path) -> list[IndexedPage]:
    """Every rendered page that has something to index, in path order (stable keys)."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == INDEX_DIR:
            continue
        page = read_page(relative.as_posix(), path.read_text(encoding="utf-8"))
        if page.body or page.videos:
            pages.append(page)
    return pages


def fingerprint(pages: list[IndexedPage]) -> str:
    """The key of the index these pages make: their HTML, Pagefind's version, this code."""
    digest = hashlib.sha256()
    described = {
        "format": FORMAT,
        "pagefind": _pagefind_version(),
        "code": [_source_sha("search.py"), _source_sha("search_records.py")],
        "pages": [[p.url, hashlib.sha256(p.html.encode()).hexdigest()] for p in pages],
    }
    digest.update(json.dumps(described, sort_keys=True).encode())
    return digest.hexdigest()


def build_search_index(site_dir: Path, cache_dir: Path, reporter: Reporter) -> bool:
    """Write `site_dir/pagefind/` for the pages rendered in `site_dir`; True when it was
    built anew, False when the cache had it (nothing the index depends on changed)."""
    pages = read_site(site_dir)
    key = fingerprint(pages)
    store = cache_dir / "search"
    entry = store / key
    built = False
    if not (entry / "pagefind-entry.json").is_file():
        reporter.step("Suchindex wird erstellt")
        _build_entry(pages, cache_dir, entry)
        built = True
    else:
        reporter.step("Suchindex unverändert")
    for file in sorted(entry.rglob("*")):
        if file.is_file():
            place(file, site_dir / INDEX_DIR / file.relative_to(entry))
    for old in store.iterdir():  # the cache keeps one index: the one just published
        if old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    return built


def _build_entry(pages: list[IndexedPage], cache_dir: Path, entry: Path) -> None:
    tmp = cache_dir / "tmp" / f"search-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        try:
            # in a thread of its own: the caller may be running an event loop already
            with ThreadPoolExecutor(max_workers=1) as worker:
                worker.submit(lambda: asyncio.run(_index(pages, tmp))).result()
        except ClipperError:
            raise
        except Exception as exc:  # the Pagefind service failed or is missing
            raise ClipperError(
                f"the search index could not be built: {exc}",
                hint="reinstall clipper with its dependencies (pagefind[bin]); "
                "the published site is unchanged",
            ) from exc
        for name in UNUSED:
            (tmp / name).unlink(missing_ok=True)
        if not (tmp / "pagefind-entry.json").is_file():
            raise ClipperError(
                "the search index could not be built: Pagefind wrote no index",
                hint="reinstall clipper with its dependencies (pagefind[bin]); "
                "the published site is unchanged",
            )
        for file in tmp.rglob("*"):
            if file.is_file():
                with file.open("rb") as f:
                    os.fsync(f.fileno())
        entry.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(entry, ignore_errors=True)
        os.rename(tmp, entry)
        fsync_dir(entry.parent)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


async def _index(pages: list[IndexedPage], out: Path) -> None:
    from clipper.site.pagefind_service import open_index  # starts Pagefind only when indexing

    service, index = await open_index({"force_language": LANGUAGE})
    try:
        # sent in batches without waiting for each answer: one round trip per record
        # would cost more than Pagefind's own work
        requests: list[Awaitable[object]] = []
        for page in pages:
            if page.body:
                requests.append(index.add_html_file(content=page.html, url=page.url))
            for video in page.videos:
                requests.append(
                    index.add_html_file(content=record_html(video), url=index_url(video))
                )
            if len(requests) >= BATCH:
                await asyncio.gather(*requests)
                requests = []
        await asyncio.gather(*requests)
        await index.write_files(str(out.resolve()))
    finally:
        await service.close()


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "unknown"


def _source_sha(name: str) -> str:
    return hashlib.sha256((Path(__file__).parent / name).read_bytes()).hexdigest()
