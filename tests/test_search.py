"""The search index publish writes: what goes in (read from the rendered pages), that an
unchanged site reuses it byte for byte, that a change rebuilds it, and that a Pagefind
that cannot run stops the publish with one line and leaves the site as it was."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import run
from office import complete_settings
from test_publish import make_project
from test_render import council_meeting, hostile_event
from tree import leftovers, tree_hashes

from clipper.errors import ClipperError
from clipper.site.build import publish
from clipper.site.render import render_site
from clipper.site.search import INDEX_DIR, UNUSED, build_search_index, read_site
from clipper.site.search_records import (
    SpokenLine,
    VideoRecord,
    cue_url,
    index_url,
    record_html,
    split_parts,
)


class Steps:
    """A reporter that keeps the progress lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def step(self, message: str) -> None:
        self.lines.append(message)

    def media(self, label: str, total_ms: int):  # type: ignore[no-untyped-def]
        return lambda _ms: None


def index_files(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site / INDEX_DIR)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((site / INDEX_DIR).rglob("*"))
        if p.is_file()
    }


def test_records_are_read_from_the_rendered_pages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    render_site([council_meeting(), hostile_event()], site)
    pages = {p.url: p for p in read_site(site)}
    # only event pages: not the index, the legal pages or the search page itself
    assert set(pages) == {
        "events/2020-09-17-stadtrat/index.html",
        *(p.href for p in [hostile_event()]),
    }
    council = pages["events/2020-09-17-stadtrat/index.html"]
    assert council.body
    base = "events/2020-09-17-stadtrat/index.html"
    summary, full = council.videos
    assert (summary.url, summary.event, summary.video) == (
        f"{base}?v=zusammenfassung",
        "Stadtrat: Grünflächen",
        "Zusammenfassung",
    )
    assert [(line.time, line.text, line.seconds) for line in summary.lines] == [
        ("0:00", "Jürgen Weiß: Guten Abend, wir beginnen.", "0"),
        ("0:04", "Ömer Çelik: Zur Tagesordnung: Straßenbäume & Radwege.", "4"),
        ("0:09", "[Applaus]", "9.5"),
    ]
    assert (full.video, len(full.lines)) == ("Gesamte Aufzeichnung", 4)
    assert full.event == "Stadtrat: Grünflächen"


def test_the_indexed_record_holds_each_line_as_a_heading_with_its_time() -> None:
    record = VideoRecord(
        url="events/a/index.html?v=gesamt",
        event="Rat & <Stadt>",
        video="Gesamtaufzeichnung",
        lines=[
            SpokenLine("0", "0:00", "Guten Abend."),
            SpokenLine("9.5", "0:09", "<img src=x> & mehr"),
        ],
    )
    html = record_html(record)
    assert '<h2 id="t0">Guten Abend.</h2>' in html
    assert '<h2 id="t9.5">&lt;img src=x&gt; &amp; mehr</h2>' in html
    # the titles are not in the record (Pagefind would find its videos by a title word)
    # but in its address, which search.js reads
    assert "Rat" not in html and "Gesamtaufzeichnung" not in html
    assert index_url(record) == (
        "events/a/index.html?v=gesamt&event=Rat%20%26%20%3CStadt%3E&videotitle=Gesamtaufzeichnung"
    )
    assert "<body><main data-pagefind-body>\n<h2" in html


def test_cue_links_quote_the_video_id() -> None:
    assert cue_url("events/a/index.html", "a&b", "1.5") == "events/a/index.html?v=a%26b&t=1.5#a%26b"


def test_an_unchanged_site_reuses_the_index_and_a_change_rebuilds_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second = tmp_path / "one", tmp_path / "two"
    for site in (first, second):
        render_site([council_meeting()], site)
    steps = Steps()
    assert build_search_index(first, cache, steps) is True
    assert build_search_index(second, cache, steps) is False
    assert steps.lines == ["Suchindex wird erstellt", "Suchindex unverändert"]
    assert index_files(first) == index_files(second)
    assert "pagefind-entry.json" in index_files(first)
    assert not set(UNUSED) & set(index_files(first))  # Pagefind's own UIs are left out

    # built again from nothing (no cache): the same bytes, every file (no filter files,
    # which Pagefind writes in a different order each run)
    third = tmp_path / "three"
    render_site([council_meeting()], third)
    assert build_search_index(third, tmp_path / "fresh-cache", steps) is True
    assert index_files(third) == index_files(first)
    assert len([k for k in index_files(first) if k.startswith("fragment/")]) == 3

    changed = tmp_path / "changed"
    page = council_meeting()
    render_site([replace(page, description_html="<p>Neu: Radwege.</p>")], changed)
    assert build_search_index(changed, cache, steps) is True
    assert index_files(changed) != index_files(first)
    assert len(list((cache / "search").iterdir())) == 1  # the cache keeps the newest only
    assert not (cache / "tmp").exists() or not list((cache / "tmp").iterdir())


def test_a_pagefind_service_that_dies_fails_at_once_and_leaves_no_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    site = tmp_path / "site"
    render_site([council_meeting()], site)
    with pytest.raises(ClipperError, match="the search index could not be built: "):
        build_search_index(site, tmp_path / "cache", Steps())
    assert not (site / INDEX_DIR).exists()
    assert not list((tmp_path / "cache").rglob("*.pf_*"))


@pytest.mark.slow
def test_publish_writes_the_index_and_reuses_it_when_nothing_changed(
    tmp_path: Path, h264_source: Path
) -> None:
    make_project(tmp_path, h264_source)
    steps = Steps()
    site = publish(tmp_path, reporter=steps).out_dir
    assert "Suchindex wird erstellt" in steps.lines
    assert (site / "suche.html").is_file()
    before = index_files(site)
    steps.lines.clear()
    publish(tmp_path, reporter=steps)
    assert "Suchindex unverändert" in steps.lines
    assert index_files(site) == before
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_a_pagefind_that_cannot_run_stops_publish_and_keeps_the_site(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_project(tmp_path, h264_source)
    complete_settings(tmp_path)  # what the preflight asks of a publish
    publish(tmp_path)
    toml = event / "event.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("startet", "beginnt"), "utf-8")
    before = tree_hashes(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    result = run("publish", "--project", tmp_path)
    assert result.exit_code == 1  # progress lines are on stdout; the error is one line
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "the search index could not be built" in lines[0]
    assert "the published site is unchanged" in lines[0] and "Traceback" not in result.output
    assert tree_hashes(tmp_path) == before
    assert leftovers(tmp_path) == []
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert os.environ.get("PAGEFIND_BINARY_PATH") is None
    publish(tmp_path)  # and the next run, with Pagefind back, publishes the change
    assert "beginnt" in (tmp_path / "site/events/foerderung/index.html").read_text("utf-8")


def test_a_long_transcript_is_split_into_half_hour_records() -> None:
    lines = [SpokenLine(str(seconds), "", f"Satz {seconds}") for seconds in (0, 1799, 1800, 5400.5)]
    video = VideoRecord("events/a/index.html?v=g", "Rat", "Gesamt", lines)
    parts = split_parts(video)
    assert [(p.part, [line.seconds for line in p.lines]) for p in parts] == [
        (0, ["0", "1799"]),
        (1, ["1800"]),
        (3, ["5400.5"]),  # a half hour without a line makes no record
    ]
    # each record has an address of its own; the first keeps the plain one
    assert [index_url(p).rsplit("&", 1)[-1] for p in parts] == [
        "videotitle=Gesamt",
        "part=1",
        "part=3",
    ]
