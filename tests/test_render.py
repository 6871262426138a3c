"""The static site: what a visitor (and a screen reader, and a privacy officer) gets."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from textwrap import dedent
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from clipper.errors import ClipperError
from clipper.settings import AccessibilitySettings, Settings
from clipper.site.environment import german_date, megabytes, seconds_attr
from clipper.site.model import Chapter, Download, EventPage, Video
from clipper.site.render import render_site
from clipper.subtitles.model import Cue

# ----------------------------------------------------------------------------- fixtures


def council_meeting() -> EventPage:
    """A German event with a clip (chapters, voices, umlauts) and the full recording."""
    clip_cues = [
        Cue(0, 4_000, "<v Jürgen Weiß>Guten Abend, wir beginnen.</v>", id="1"),
        Cue(4_000, 9_500, "<v Ömer Çelik>Zur Tagesordnung: Straßenbäume &amp; Radwege.", id="2"),
        Cue(9_500, 12_000, "[Applaus]", id="3"),
    ]
    full_cues = [Cue(0, 3_000, "<v Jürgen Weiß>Ist das Mikro an?"), *clip_cues]
    downloads = [
        Download("Video (MP4)", "clip.mp4", 12_400_000),
        Download("Untertitel (WebVTT)", "clip.de.vtt", 2_345),
    ]
    clip = Video(
        kind="clip",
        title="Zusammenfassung",
        video_href="clip.mp4",
        captions_href="clip.de.vtt",
        poster_href="clip.jpg",
        duration_ms=12_000,
        cues=clip_cues,
        chapters=[
            Chapter("Begrüßung", 0, 4_000, 60_000),
            Chapter("Straßenbäume", 4_000, 12_000, 754_000),
        ],
        downloads=downloads,
        anchor="zusammenfassung",
    )
    full = Video(
        kind="full",
        title="Gesamte Aufzeichnung",
        video_href="full.mp4",
        captions_href="full.de.vtt",
        poster_href="full.jpg",
        duration_ms=3_723_000,
        cues=full_cues,
        downloads=[Download("Video (MP4)", "full.mp4", 512_000_000)],
        anchor="aufzeichnung",
    )
    return EventPage(
        slug="2020-09-17-stadtrat",
        title="Stadtrat: Grünflächen",
        date=dt.date(2020, 9, 17),
        language="de",
        description_html="<p>Sitzung über <em>Grünflächen</em>.</p>",
        credits_html="<p>Kamera: Lea Schütz</p>",
        videos=[clip, full],
        href="events/2020-09-17-stadtrat/index.html",
    )


def hostile_event() -> EventPage:
    """An English event whose title tries to inject a script."""
    video = Video(
        kind="full",
        title="Recording",
        video_href="full.webm",
        captions_href="full.en.vtt",
        poster_href=None,
        duration_ms=65_000,
        cues=[],
    )
    return EventPage(
        slug="2021-03-01-evil",
        title='<script>alert("x")</script> Workshop',
        date=dt.date(2021, 3, 1),
        language="en",
        description_html="",
        credits_html=None,
        videos=[video],
        href="events/2021-03-01-evil/index.html",
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    render_site([council_meeting(), hostile_event()], out)
    return out


# ----------------------------------------------------------------------------- parsing


class Tree(HTMLParser):
    """Just enough of a DOM: every start tag with its attributes, plus the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        """Tags by name whose attributes include `wanted` (class matches one word)."""
        found = []
        for name, attrs in self.tags:
            if name != tag:
                continue
            ok = True
            for key, value in wanted.items():
                key = key.rstrip("_")
                actual = attrs.get(key)
                if key == "class":
                    ok = ok and value in (actual or "").split()
                else:
                    ok = ok and actual == value
            if ok:
                found.append(attrs)
        return found

    @property
    def all_text(self) -> str:
        return " ".join("".join(self.text).split())


def parse(path: Path) -> Tree:
    tree = Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    return tree


def event_path(site: Path, page: EventPage) -> Path:
    return site.joinpath(*PurePosixPath(page.href).parts)


# ----------------------------------------------------------------------------- index


def test_index_lists_events_newest_first_with_working_links(site: Path) -> None:
    index = parse(site / "index.html")
    titles = [a["href"] for a in index.find("a") if (a["href"] or "").startswith("events/")]
    assert titles == [hostile_event().href, council_meeting().href]
    for href in titles:
        assert (site / str(href)).is_file()
    text = index.all_text
    assert "17. September 2020" in text
    assert "1. März 2021" in text
    assert "1:02:03" in text  # the full recording's duration
    assert index.find("html", lang="de")


def test_index_labels_captions_and_transcript(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8").split('<main id="inhalt">')[1]
    council, evil = html.split('href="events/2020-09-17-stadtrat/index.html"')[::-1]
    # the hostile event (first) has captions but no cues
    assert "Untertitel" in evil and "Transkript" not in evil
    assert "Untertitel" in council and "Transkript" in council
    # the poster thumbnail is found relative to the index page
    assert 'src="events/2020-09-17-stadtrat/clip.jpg"' in html


# ----------------------------------------------------------------------------- event page


def test_event_page_videos_have_accessible_native_players(site: Path) -> None:
    page = parse(event_path(site, council_meeting()))
    assert page.find("html", lang="de")
    assert page.find("h1")
    videos = page.find("video")
    assert len(videos) == 2
    for video in videos:
        assert "controls" in video and "playsinline" in video
        assert video["preload"] == "metadata"
        assert "autoplay" not in video
    assert [v["poster"] for v in videos] == ["clip.jpg", "full.jpg"]
    assert [s["src"] for s in page.find("source", type="video/mp4")] == ["clip.mp4", "full.mp4"]
    tracks = page.find("track", kind="captions")
    assert [t["src"] for t in tracks] == ["clip.de.vtt", "full.de.vtt"]
    for track in tracks:
        assert track["srclang"] == "de" and track["label"] == "Deutsch" and "default" in track
    # fallback inside each video: a download link
    assert {a["href"] for a in page.find("a") if "download" in a} >= {"clip.mp4", "full.mp4"}
    # clip first, then the full recording; sections carry the anchors
    assert [s["id"] for s in page.find("section", class_="video")] == [
        "zusammenfassung",
        "aufzeichnung",
    ]


def test_event_page_text(site: Path) -> None:
    text = parse(event_path(site, council_meeting())).all_text
    assert "17. September 2020" in text
    assert "Sitzung über Grünflächen." in text
    assert "Kamera: Lea Schütz" in text
    assert "Transkript" in text


def test_transcript_has_one_item_per_cue_with_times_and_speakers(site: Path) -> None:
    path = event_path(site, council_meeting())
    page = parse(path)
    items = page.find("li", class_="cue")
    assert len(items) == 3 + 4
    assert [i["data-start"] for i in items[:3]] == ["0", "4", "9.5"]
    times = [a for a in page.find("a") if (a.get("href") or "").startswith("?v=zus")]
    times = times[len(page.find("a", class_="chapter-link")) :]  # after the chapter links
    assert [t["data-start"] for t in times] == ["0", "4", "9.5"]
    assert times[2]["href"] == "?v=zusammenfassung&t=9#zusammenfassung"
    html = path.read_text(encoding="utf-8")
    assert "<strong>Jürgen Weiß</strong>: Guten Abend, wir beginnen." in html
    assert "<strong>Ömer Çelik</strong>: Zur Tagesordnung: Straßenbäume &amp; Radwege." in html
    assert "[Applaus]" in html  # a cue without a voice, no empty <strong>
    assert "<strong></strong>" not in html


def test_chapters_link_into_the_clip_and_into_the_full_recording(site: Path) -> None:
    page = parse(event_path(site, council_meeting()))
    chapters = page.find("a", class_="chapter-link")
    assert [(c["data-start"], c["href"]) for c in chapters] == [
        ("0", "?v=zusammenfassung&t=0#zusammenfassung"),
        ("4", "?v=zusammenfassung&t=4#zusammenfassung"),
    ]
    sources = page.find("a", class_="source-link")
    assert [(s["data-video"], s["data-start"], s["href"]) for s in sources] == [
        ("aufzeichnung", "60", "?v=aufzeichnung&t=60#aufzeichnung"),
        ("aufzeichnung", "754", "?v=aufzeichnung&t=754#aufzeichnung"),
    ]
    text = page.all_text
    assert "0:04 Straßenbäume" in text
    assert "im Gesamtvideo ansehen ab 12:34" in text


def test_downloads_show_size_and_duration(site: Path) -> None:
    page = parse(event_path(site, council_meeting()))
    text = page.all_text
    assert "Video (MP4) (12,4 MB, 0:12)" in text
    assert "Untertitel (WebVTT) (2 kB)" in text
    assert "(512,0 MB, 1:02:03)" in text
    downloads = [a["href"] for a in page.find("a") if "download" in a]
    assert "clip.de.vtt" in downloads


def test_english_event_and_webm_source(site: Path) -> None:
    page = parse(event_path(site, hostile_event()))
    assert page.find("html", lang="en")
    assert page.find("source", type="video/webm")
    (track,) = page.find("track")
    assert track["srclang"] == "en" and track["label"] == "English"
    assert not page.find("section", class_="transcript")  # no cues, no empty transcript
    assert not page.find("nav", class_="chapters")


def test_title_is_escaped(site: Path) -> None:
    for path in (site / "index.html", event_path(site, hostile_event())):
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Workshop" in html


# ----------------------------------------------------------------------------- privacy, safety


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_inline_handlers_scripts_or_other_hosts(site: Path) -> None:
    """Nothing is loaded from another host; links (a, canonical) may point anywhere."""
    for path in all_pages(site):
        tree = parse(path)
        html = path.read_text(encoding="utf-8")
        for tag, attrs in tree.tags:
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
            assert "style" not in attrs, (path, tag)  # CSP style-src 'self' forbids them
            navigation = tag == "a" or (tag == "link" and attrs.get("rel") == "canonical")
            for key in ("src", "href", "poster", "action"):
                url = attrs.get(key) or ""
                if navigation and key == "href":
                    continue
                assert not urlsplit(url).scheme, (path, key, url)
                assert not url.startswith("//"), (path, key, url)
            if tag == "script" and attrs.get("type") != "application/ld+json":
                assert attrs.get("src") and "defer" in attrs
        code = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html)
        assert not re.search(r"<script[^>]*>\s*[^<\s]", code), path  # no inline code
        (csp,) = tree.find("meta", **{"http-equiv": "Content-Security-Policy"})
        assert "script-src 'self'" in str(csp["content"])
        assert "default-src 'self'" in str(csp["content"])
        assert "cookie" not in html.replace("keine Cookies", "").lower()


def test_static_files_are_copied_and_linked_relatively(site: Path) -> None:
    for name in ("style.css", "player.js"):
        assert (site / "static" / name).is_file()
    for path in all_pages(site):
        tree = parse(path)
        (css,) = tree.find("link", rel="stylesheet")
        (js,) = [s for s in tree.find("script") if s.get("src")]
        assert (path.parent / str(css["href"])).resolve() == (site / "static/style.css").resolve()
        script = "static/search.js" if path.name == "suche.html" else "static/player.js"
        assert (path.parent / str(js["src"])).resolve() == (site / script).resolve()


def test_pages_and_assets_stay_small(site: Path) -> None:
    assets = sum((site / "static" / n).stat().st_size for n in ("style.css", "player.js"))
    for path in all_pages(site):
        assert path.stat().st_size + assets < 30_000, path


def test_page_links_resolve(site: Path) -> None:
    """Every relative link to an HTML page or static file exists (media are the builder's)."""
    for path in all_pages(site):
        for _, attrs in parse(path).tags:
            for key in ("href", "src"):
                url = urlsplit(attrs.get(key) or "")
                if url.path.endswith((".html", ".css", ".js")):
                    assert (path.parent / url.path).is_file(), (path, url)


# ----------------------------------------------------------------------------- themes


def test_theme_overrides_a_block_and_the_stylesheet(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "templates" / "base.html").write_text(
        dedent(
            """\
            {% extends "clipper/base.html" %}
            {% block footer %}<p>Stadt Musterhausen, <a href="{{ root }}barrierefreiheit.html">\
            Barrierefreiheit</a></p>{% endblock %}
            """
        ),
        encoding="utf-8",
    )
    (theme / "static" / "style.css").write_text("body { color: #000; }\n", encoding="utf-8")
    (theme / "static" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    out = tmp_path / "site"
    render_site([council_meeting()], out, theme_dir=theme, site_title="Stadt Musterhausen")

    event_html = event_path(out, council_meeting()).read_text(encoding="utf-8")
    assert "Stadt Musterhausen, " in event_html
    assert 'href="../../barrierefreiheit.html"' in event_html
    assert "keine Cookies" not in event_html  # the built-in footer is replaced
    assert "<h1>Stadtrat: Grünflächen</h1>" in event_html  # the rest still comes from built-in
    assert (out / "static" / "style.css").read_text(encoding="utf-8") == "body { color: #000; }\n"
    assert (out / "static" / "logo.svg").is_file()
    assert (out / "static" / "player.js").is_file()


def test_theme_replacing_a_whole_template(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "index.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>Eigene Liste: {{ entries|length }}</p>'
        "{% endblock %}",
        encoding="utf-8",
    )
    render_site([council_meeting()], tmp_path / "site", theme_dir=theme)
    assert "Eigene Liste: 1" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_broken_theme_template_is_a_clipper_error(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "index.html").write_text("{% block content %}", encoding="utf-8")
    with pytest.raises(ClipperError, match="template error"):
        render_site([council_meeting()], tmp_path / "site", theme_dir=theme)
    assert not (tmp_path / "site" / "index.html").exists()


def test_missing_theme_folder_is_a_clipper_error(tmp_path: Path) -> None:
    with pytest.raises(ClipperError, match="theme folder"):
        render_site([], tmp_path / "site", theme_dir=tmp_path / "nope")


def test_empty_site_says_so(tmp_path: Path) -> None:
    render_site([], tmp_path / "site")
    assert "Noch keine Veranstaltungen" in (tmp_path / "site" / "index.html").read_text("utf-8")


def test_media_next_to_the_event_page_survive_rendering(tmp_path: Path) -> None:
    folder = tmp_path / "site" / "events" / "2020-09-17-stadtrat"
    folder.mkdir(parents=True)
    (folder / "clip.mp4").write_bytes(b"\x00" * 10)
    render_site([council_meeting()], tmp_path / "site")
    assert (folder / "clip.mp4").read_bytes() == b"\x00" * 10


# ----------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2020, 9, 17), "17. September 2020"), (dt.date(2021, 3, 1), "1. März 2021")],
)
def test_german_date(day: dt.date, expected: str) -> None:
    assert german_date(day) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [(12_400_000, "12,4 MB"), (100_000, "0,1 MB"), (2_345, "2 kB"), (10, "1 kB")],
)
def test_megabytes(size: int, expected: str) -> None:
    assert megabytes(size) == expected


@pytest.mark.parametrize(("ms", "expected"), [(0, "0"), (9_500, "9.5"), (754_001, "754.001")])
def test_seconds_attr(ms: int, expected: str) -> None:
    assert seconds_attr(ms) == expected


# ----------------------------------------------------------------------------- for the web


def with_settings(tmp_path: Path, **site: object) -> tuple[Path, Settings]:
    settings = Settings(
        title="Videoarchiv Musterhausen",
        base_url="https://video.musterhausen.de/",
        imprint_url="https://www.musterhausen.de/impressum",
        publisher="Stadt Musterhausen",
        accessibility=AccessibilitySettings(
            contact_email="barrierefreiheit@musterhausen.de",
            statement_date=dt.date(2026, 11, 1),
            known_issues="Die Videos haben **keine** Audiodeskription.",
        ),
    )
    out = tmp_path / "site"
    render_site([council_meeting(), hostile_event()], out, settings=settings)
    return out, settings


def json_ld_of(path: Path) -> dict[str, Any]:
    html = path.read_text(encoding="utf-8")
    (text,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "</" not in text and "<" not in text
    return dict(json.loads(text))


def test_video_objects_with_clips_and_seek_action(tmp_path: Path) -> None:
    site, _ = with_settings(tmp_path)
    data = json_ld_of(event_path(site, council_meeting()))
    assert data["@context"] == "https://schema.org"
    clip, full = data["@graph"]
    base = "https://video.musterhausen.de/events/2020-09-17-stadtrat/"
    assert clip["@type"] == "VideoObject"
    assert clip["name"] == "Stadtrat: Grünflächen: Zusammenfassung"
    assert clip["contentUrl"] == base + "clip.mp4"
    assert clip["thumbnailUrl"] == base + "clip.jpg"
    assert clip["uploadDate"] == "2020-09-17" and clip["inLanguage"] == "de"
    assert clip["duration"] == "PT12S" and full["duration"] == "PT1H2M3S"
    assert [(p["@type"], p["name"], p["startOffset"], p["endOffset"]) for p in clip["hasPart"]] == [
        ("Clip", "Begrüßung", 0, 4),
        ("Clip", "Straßenbäume", 4, 12),
    ]
    assert clip["hasPart"][1]["url"] == base + "?v=zusammenfassung&t=4#zusammenfassung"
    action = full["potentialAction"]
    assert action["@type"] == "SeekToAction"
    assert action["target"] == base + "?v=aufzeichnung&t={seek_to_second_number}#aufzeichnung"
    assert action["startOffset-input"] == "required name=seek_to_second_number"
    assert "hasPart" not in full


def test_json_ld_cannot_end_the_script_element(tmp_path: Path) -> None:
    site, _ = with_settings(tmp_path)
    data = json_ld_of(event_path(site, hostile_event()))  # title holds </script>
    assert data["@graph"][0]["name"].startswith('<script>alert("x")</script>')


def test_canonical_and_opengraph_with_a_base_url(tmp_path: Path) -> None:
    site, _ = with_settings(tmp_path)
    page = parse(event_path(site, council_meeting()))
    (canonical,) = page.find("link", rel="canonical")
    assert canonical["href"] == "https://video.musterhausen.de/events/2020-09-17-stadtrat/"
    og = {m["property"]: m["content"] for m in page.find("meta") if m.get("property")}
    assert og["og:title"] == "Stadtrat: Grünflächen – Videoarchiv Musterhausen"
    assert og["og:type"] == "video.other"
    assert og["og:image"].endswith("/events/2020-09-17-stadtrat/clip.jpg")
    assert og["og:video"] == "https://video.musterhausen.de/events/2020-09-17-stadtrat/clip.mp4"
    assert og["og:url"] == canonical["href"]
    index = parse(site / "index.html")
    assert index.find("link", rel="canonical")[0]["href"] == "https://video.musterhausen.de/"


def test_no_canonical_without_a_base_url(site: Path) -> None:
    page = parse(event_path(site, council_meeting()))
    assert not page.find("link", rel="canonical")
    og = {m["property"]: m["content"] for m in page.find("meta") if m.get("property")}
    assert og["og:image"] == "clip.jpg"  # relative: previews need base_url


def test_atom_feed_lists_events_newest_first(tmp_path: Path) -> None:
    site, _ = with_settings(tmp_path)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert feed.findtext("a:title", namespaces=ns) == "Videoarchiv Musterhausen"
    assert feed.findtext("a:updated", namespaces=ns) == "2021-03-01T00:00:00Z"
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == [
        '<script>alert("x")</script> Workshop',
        "Stadtrat: Grünflächen",
    ]
    link = entries[1].find("a:link", ns)
    assert link is not None
    assert link.get("href") == "https://video.musterhausen.de/events/2020-09-17-stadtrat/"
    index = parse(site / "index.html")
    (alternate,) = index.find("link", rel="alternate")
    assert alternate["href"] == "feed.xml" and alternate["type"] == "application/atom+xml"


def test_feed_without_a_base_url_is_valid_xml(site: Path) -> None:
    feed = ElementTree.parse(site / "feed.xml").getroot()
    ids = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}id")]
    assert ids[1:] == [
        "tag:clipper,2021-03-01:2021-03-01-evil",
        "tag:clipper,2020-09-17:2020-09-17-stadtrat",
    ]


def test_accessibility_statement_from_settings(tmp_path: Path) -> None:
    site, _ = with_settings(tmp_path)
    page = parse(site / "barrierefreiheit.html")
    text = page.all_text
    assert "Erklärung zur Barrierefreiheit" in text
    assert "Stadt Musterhausen ist bemüht" in text
    assert "teilweise vereinbar" in text
    assert "am 1. November 2026 erstellt" in text
    assert "Die Videos haben keine Audiodeskription." in text
    assert {"mailto:barrierefreiheit@musterhausen.de"} <= {a["href"] for a in page.find("a")}
    # events without the optional texts are listed as not (yet) accessible
    assert "Ohne Zusammenfassung in Leichter Sprache: Stadtrat: Grünflächen" in text
    for path in all_pages(site):  # every page links the statement, the privacy note, imprint
        hrefs = {str(a["href"]) for a in parse(path).find("a")}
        assert any(h.endswith("barrierefreiheit.html") for h in hrefs), path
        assert any(h.endswith("datenschutz.html") for h in hrefs), path
        assert "https://www.musterhausen.de/impressum" in hrefs, path


def test_statement_without_settings_says_what_is_missing(site: Path) -> None:
    text = parse(site / "barrierefreiheit.html").all_text
    assert "Eine Kontaktmöglichkeit ist noch nicht eingetragen." in text
    assert "Datenschutz" in parse(site / "datenschutz.html").all_text


def test_plain_language_and_visual_description_next_to_the_videos(tmp_path: Path) -> None:
    page = replace(
        council_meeting(),
        plain_language_html="<p>Der Rat spricht über Bäume.</p>",
        visual_description_html="<p>Zu sehen: drei Personen am Tisch, eine Folie mit Karte.</p>",
    )
    render_site([page], tmp_path / "site")
    path = event_path(tmp_path / "site", page)
    tree = parse(path)
    assert tree.find("details", class_="plain-language")
    assert tree.find("div", id="bildbeschreibung")
    assert all(v["aria-describedby"] == "bildbeschreibung" for v in tree.find("video"))
    text = tree.all_text
    assert "Leichte Sprache Der Rat spricht über Bäume." in text
    assert "Was im Video zu sehen ist Zu sehen: drei Personen" in text
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<li class="label">([^<]*)</li>', index)
    assert labels == ["Untertitel", "Transkript", "Leichte Sprache", "Bildbeschreibung"]


def page_weight(path: Path, site: Path) -> int:
    """HTML + CSS + JS of a page, without transcript text and embedded (data:) tracks."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r'<ol class="cues">.*?</ol>', "", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"', 'src=""', html)
    assets = sum(
        (path.parent / str(attrs.get("href") or attrs.get("src"))).stat().st_size
        for tag, attrs in parse(path).tags
        if (tag == "link" and attrs.get("rel") == "stylesheet")
        or (tag == "script" and attrs.get("src"))
    )
    return len(html.encode("utf-8")) + assets


def test_every_page_weighs_at_most_30_kb_without_media_and_transcript(tmp_path: Path) -> None:
    long_cues = [Cue(i * 2000, i * 2000 + 1900, f"<v Rat {i % 7}>Satz {i}.") for i in range(3000)]
    council = council_meeting()
    full = replace(council.videos[1], cues=long_cues)
    page = replace(council, videos=[council.videos[0], full])
    out = tmp_path / "site"
    render_site([page, hostile_event()], out, settings=with_settings(tmp_path / "x")[1])
    for path in all_pages(out):
        assert page_weight(path, out) <= 30_000, path


def test_the_reference_theme_example_works(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "docs" / "referenz.md").read_text(encoding="utf-8")
    (template,) = re.findall(r"```jinja\n(\{# theme/templates/base.html #\}.*?)```", readme, re.S)
    (css,) = re.findall(r"```css\n(/\* theme/static/theme.css.*?)```", readme, re.S)
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "templates" / "base.html").write_text(template, encoding="utf-8")
    (theme / "static" / "theme.css").write_text(css, encoding="utf-8")
    (theme / "static" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    out = tmp_path / "site"
    render_site([council_meeting()], out, theme_dir=theme)
    page = parse(event_path(out, council_meeting()))
    sheets = [link["href"] for link in page.find("link", rel="stylesheet")]
    assert sheets == ["../../static/style.css", "../../static/theme.css"]
    (logo,) = page.find("img")
    assert logo["src"] == "../../static/logo.svg" and logo["alt"] == "Stadt Musterhausen"
    text = page.all_text
    assert "Stadt Musterhausen · Pressestelle" in text
    assert "Erklärung zur Barrierefreiheit" in text  # super() keeps the built-in footer
    assert (out / "static" / "theme.css").read_text(encoding="utf-8") == css


XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def test_control_characters_never_reach_a_page_or_the_feed(tmp_path: Path) -> None:
    """Whatever an older path lets through (titles, names, settings) is dropped on output;
    autoescaping still applies, so the text around it stays as escaped as before."""
    bad = "\x07\x1b[2J\x0c\x00\ufffe\uffff\ud800\x7f\x85"
    meeting = council_meeting()
    clip, full = meeting.videos
    clip = replace(
        clip,
        title=f"Zusammen{bad}fassung",
        cues=[Cue(0, 4_000, f"<v Jürgen{bad} Weiß>Guten{bad} Abend & Tschüss", id="1")],
        downloads=[Download(f"Video{bad}", f"clip{bad}.mp4", 1_000)],
    )
    page = replace(
        meeting,
        title=f"Stadtrat{bad} <b>",
        summary=f"Sitzung{bad}",
        description_html=f"<p>Sitzung{bad}</p>",
        videos=[clip, full],
    )
    settings = Settings(
        title=f"Archiv{bad}", description=f"Videos{bad}", publisher=f"Stadt{bad} & Land"
    )
    site = tmp_path / "site"
    render_site([page], site, settings=settings)

    feed = ElementTree.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("a:title", namespaces=ns) == "Archiv[2J"
    assert feed.findtext("a:author/a:name", namespaces=ns) == "Stadt[2J & Land"
    assert feed.findtext("a:entry/a:title", namespaces=ns) == "Stadtrat[2J <b>"
    assert feed.findtext("a:entry/a:summary", namespaces=ns) == "Sitzung[2J"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 5  # index, event, statement, privacy, search
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not XML_INVALID.search(text), path
        assert "<b>" not in text  # still escaped
    event = event_path(site, page).read_text(encoding="utf-8")
    assert "<strong>Jürgen[2J Weiß</strong>: Guten[2J" in event
    assert "Abend &amp; Tschüss</li>" in event
    assert "Stadtrat[2J &lt;b&gt;" in event
