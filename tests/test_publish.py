"""Publishing a project end to end: the site's pages, videos and caption tracks."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from textwrap import dedent
from xml.etree import ElementTree

import av
import pytest
from media import SourceSpec, mp4_index_first, read_barcodes
from starlette.testclient import TestClient

from clipper.errors import EventError
from clipper.site.build import publish
from clipper.site.server import make_app
from clipper.subtitles import read_subtitles

TRANSCRIPT = dedent(
    """\
    WEBVTT

    cue-1
    00:00:00.500 --> 00:00:02.000
    <v Anna Berger>Herzlich willkommen in Lünen!

    cue-2
    00:00:02.000 --> 00:00:05.000
    <v Bürgermeister>Wir gehen neue Wege.
    """
)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.found if name == tag]


def unversioned(url: str | None) -> str:
    """The file a media URL names (media URLs carry `?v=<hash>`, clipper/site/versions.py)."""
    assert url is not None
    return url.split("?", 1)[0]


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def make_project(
    root: Path,
    source: Path,
    *,
    slug: str = "foerderung",
    ranges: str | None = None,
    date: str = "2020-09-17",
    transcript: str = TRANSCRIPT,
) -> Path:
    event = root / "recordings" / slug
    event.mkdir(parents=True)
    shutil.copy(source, event / f"aufzeichnung{source.suffix}")
    (root / "transcripts").mkdir(exist_ok=True)
    (root / "transcripts" / f"{slug}.de.vtt").write_text(transcript, encoding="utf-8")
    ranges = ranges or '"""\n0:00.5 - 0:02 Begrüßung\n0:03 - 0:04.5 Neue Wege\n"""'
    (event / "event.toml").write_text(
        dedent(
            f"""\
            title = "Förderbescheid für das Labor"
            date = {date}
            recording = "aufzeichnung{source.suffix}"
            transcript = "transcripts/{slug}.de.vtt"
            description = \"\"\"Das **Labor** startet. <script>alert(1)</script>\"\"\"
            credits = "Pressestelle"

            [[clips]]
            title = "Zusammenfassung"
            ranges = {ranges}
            """
        ),
        encoding="utf-8",
    )
    return event


@pytest.mark.slow
def test_publish_builds_pages_videos_and_tracks(tmp_path: Path, h264_source: Path) -> None:
    event = make_project(tmp_path, h264_source)
    original = (event / "aufzeichnung.mp4").read_bytes()
    result = publish(tmp_path)
    site = result.out_dir
    assert site == tmp_path / "site"

    index = parse(site / "index.html")
    links = [a["href"] for a in index.all("a") if a.get("href", "").startswith("events/")]
    assert links == ["events/foerderung/index.html"]

    page_path = site / "events/foerderung/index.html"
    html = page_path.read_text(encoding="utf-8")
    page = parse(page_path)
    videos = page.all("video")
    assert len(videos) == 2
    for video in videos:
        assert "controls" in video and "playsinline" in video
        assert video["preload"] == "metadata"
        assert (page_path.parent / unversioned(video["poster"])).stat().st_size > 1000
    sources = [unversioned(s["src"]) for s in page.all("source")]
    tracks = [
        dict(t, src=unversioned(t["src"])) for t in page.all("track") if t["kind"] == "captions"
    ]
    chapter_tracks = [unversioned(t["src"]) for t in page.all("track") if t["kind"] == "chapters"]
    assert chapter_tracks == ["zusammenfassung.kapitel.vtt", "gesamtaufzeichnung.kapitel.vtt"]
    chapter_cues = read_subtitles(page_path.parent / "zusammenfassung.kapitel.vtt").cues
    assert [(c.start_ms, c.end_ms, c.text) for c in chapter_cues] == [
        (0, 1480, "Begrüßung"),
        (1480, 3000, "Neue Wege"),
    ]
    # the same chapters, placed in the full recording (where the clip's pieces came from)
    full_chapters = read_subtitles(page_path.parent / "gesamtaufzeichnung.kapitel.vtt").cues
    assert [(c.start_ms, c.end_ms, c.text) for c in full_chapters] == [
        (520, 2000, "Begrüßung"),
        (3000, 4520, "Neue Wege"),
    ]
    assert sources == ["zusammenfassung.mp4", "gesamtaufzeichnung.mp4"]
    assert [t["src"] for t in tracks] == ["zusammenfassung.vtt", "gesamtaufzeichnung.vtt"]
    for track in tracks:
        assert track["kind"] == "captions" and track["srclang"] == "de"
        assert track["label"] == "Deutsch" and "default" in track
    for name in sources + [t["src"] for t in tracks]:
        assert (page_path.parent / name).is_file()
    assert 'lang="de"' in html
    assert "Begrüßung" in html and "Neue Wege" in html  # chapters
    assert "Herzlich willkommen in Lünen!" in html  # transcript beside the video
    assert "<script>alert" not in html  # raw HTML in Markdown is not passed through
    assert "<strong>Labor</strong>" in html
    assert not any(k.startswith("on") for _, attrs in page.found for k in attrs)

    # the clip: frame-accurate, retimed captions
    clip = page_path.parent / "zusammenfassung.mp4"
    frames = read_barcodes(clip)
    # 0.5 s and 4.5 s fall between two frames at 25 fps: the later frame is taken
    assert frames == list(range(13, 50)) + list(range(75, 113))
    cues = read_subtitles(page_path.parent / "zusammenfassung.vtt").cues
    assert [(c.id, c.start_ms, c.end_ms) for c in cues] == [
        ("cue-1", 0, 1480),
        ("cue-2", 1480, 3000),
    ]
    # browsers do not show voice names: the published captions name each new speaker
    assert [c.plain_text for c in cues] == [
        "Anna Berger: Herzlich willkommen in Lünen!",
        "Bürgermeister: Wir gehen neue Wege.",
    ]
    assert cues[0].voice == "Anna Berger"
    # ... while the transcript on the page shows the name once, as a label
    assert "<strong>Anna Berger</strong>: Herzlich willkommen" in html
    # no settings, no plain-language text, no description of the picture: published, warned
    warnings = " ".join(result.warnings)
    assert "contact_email" in warnings and "plain_language" in warnings
    assert "visual_description" in warnings
    # the full recording: a remux (same packets), index first
    full = page_path.parent / "gesamtaufzeichnung.mp4"
    assert mp4_index_first(full)
    with av.open(str(full)) as a, av.open(str(h264_source)) as b:
        assert [bytes(p) for p in a.demux(video=0)] == [bytes(p) for p in b.demux(video=0)]
    assert (event / "aufzeichnung.mp4").read_bytes() == original

    # served with byte ranges, so seeking works
    client = TestClient(make_app(site))
    response = client.get("/events/foerderung/zusammenfassung.mp4", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206 and len(response.content) == 100
    assert response.headers["content-type"] == "video/mp4"
    vtt = client.get("/events/foerderung/zusammenfassung.vtt")
    assert vtt.headers["content-type"].startswith("text/vtt")


HOSTILE = dedent(
    """\
    WEBVTT

    c1
    00:00:00.500 --> 00:00:01.500
    <v Müller &amp; Söhne>Grüße & <script>alert(1)</script> &lt;b&gt;

    c3
    00:00:04.000 --> 00:00:05.000
    <v Anna Berger>Steht in der Datei vor dem früheren Satz.

    c2
    00:00:01.500 --> 00:00:04.000
    <v Anna Berger>Der frühere Satz.
    """
)


@pytest.mark.slow
def test_published_transcript_is_complete_escaped_and_in_time_order(
    tmp_path: Path, h264_source: Path
) -> None:
    make_project(tmp_path, h264_source, transcript=HOSTILE, ranges='"0:00 - 0:05 Alles"')
    site = publish(tmp_path).out_dir / "events/foerderung"
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    full = html[html.index('id="gesamtaufzeichnung-transcript-title"') :]
    items = [line for line in full.splitlines() if line.startswith('<li class="cue"')]
    # every cue, in time order (players sort cues by time; the page follows the player)
    assert [item.split('data-start="')[1].split('"')[0] for item in items] == ["0.5", "1.5", "4"]
    assert "<strong>Müller &amp; Söhne</strong>: Grüße &amp; alert(1) &lt;b&gt;" in items[0]
    captions = read_subtitles(site / "gesamtaufzeichnung.vtt").cues
    assert [c.plain_text for c in captions] == [
        "Müller & Söhne: Grüße & alert(1) <b>",
        "Anna Berger: Der frühere Satz.",
        "Steht in der Datei vor dem früheren Satz.",
    ]


@pytest.mark.slow
def test_publish_transcodes_webm_and_orders_events(tmp_path: Path, source_factory) -> None:
    webm = source_factory(SourceSpec(video_codec="vp8", audio_codec="opus", seconds=6.0))
    make_project(tmp_path, webm, slug="aelter", date="2019-01-02")
    make_project(tmp_path, webm, slug="neuer", date="2021-03-04")
    site = publish(tmp_path).out_dir
    index = parse(site / "index.html")
    links = [a["href"] for a in index.all("a") if a.get("href", "").startswith("events/")]
    assert links == ["events/neuer/index.html", "events/aelter/index.html"]
    full = site / "events/neuer/gesamtaufzeichnung.mp4"
    with av.open(str(full)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio[0].codec_context.name == "aac"
    assert mp4_index_first(full)


def test_publish_failure_keeps_the_old_site(tmp_path: Path, h264_source: Path) -> None:
    make_project(tmp_path, h264_source, ranges='"0:01 - 0:99"')
    old = tmp_path / "site"
    old.mkdir()
    (old / "index.html").write_text("alte Seite")
    with pytest.raises(Exception, match="seconds over 59"):
        publish(tmp_path)
    assert (old / "index.html").read_text() == "alte Seite"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recordings", "site", "transcripts"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("title = ", "titel = "), "did you mean 'title'"),
        (('recording = "aufzeichnung.mp4"', 'recording = "fehlt.mp4"'), "looked in"),
        (("date = 2020-09-17", 'date = "gestern"'), "is not a date"),
        (('credits = "Pressestelle"', "plain_language = 3"), "'plain_language' must be text"),
        (('credits = "Pressestelle"', "plain_langauge = 'x'"), "did you mean 'plain_language'"),
        (('credits = "Pressestelle"', "visual_descripton = 'x'"), "'visual_description'"),
    ],
)
def test_event_errors_name_file_key_and_fix(
    tmp_path: Path, h264_source: Path, change: tuple[str, str], words: str
) -> None:
    event = make_project(tmp_path, h264_source)
    toml = event / "event.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    with pytest.raises(EventError) as info:
        publish(tmp_path)
    assert words in str(info.value) and "event.toml" in str(info.value)


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@pytest.mark.slow
def test_control_characters_in_a_transcript_cannot_break_the_page_or_feed(
    tmp_path: Path, h264_source: Path
) -> None:
    """A cue with a bell and a terminal escape publishes; pages and feed stay valid."""
    noisy = TRANSCRIPT.replace("Lünen!", "Lünen!\x07 \x1b[2J").replace(
        "Bürgermeister>", "Bürger\x07meister>"
    )
    make_project(tmp_path, h264_source, transcript=noisy)
    site = publish(tmp_path).out_dir
    ElementTree.parse(site / "feed.xml")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 7  # index, event, statement, privacy, search, two embed pages
    for page in pages:
        assert not CONTROL.search(page.read_text(encoding="utf-8")), page
    event = (site / "events/foerderung/index.html").read_text(encoding="utf-8")
    assert "Herzlich willkommen in Lünen! [2J" in event  # the text stays, the controls go
    assert "Bürgermeister" in event
