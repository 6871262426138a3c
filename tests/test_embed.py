"""Embeds and what publish adds for the last mile: the snippet `clipper embed` prints, the
oEmbed documents and their discovery links, captions inside the downloadable MP4,
versioned media URLs, the server set-up files and builds that repeat byte for byte."""

from __future__ import annotations

import json
import re
from pathlib import Path
from textwrap import dedent
from xml.etree import ElementTree

import av
import pytest
from clirun import one_line_error, run
from test_publish import make_project, parse
from tree import tree_hashes

from clipper.media.ffmpeg import run_ffmpeg
from clipper.site.build import PublishResult, publish
from clipper.site.embed import Embed, frame_size, iframe_html, snippet
from clipper.site.environment import CSP
from clipper.site.server_config import server_files

BASE = "https://video.musterhausen.de/"
SETTINGS = f'[site]\ntitle = "Videoarchiv Musterhausen"\nbase_url = "{BASE}"\n'
EVENT_DIR = "events/foerderung"


def test_snippet_is_a_titled_lazy_frame_with_a_fixed_ratio_and_a_link() -> None:
    embed = Embed("rat", "Sitzung des Rates", "kurz", "Kurzfassung", 1280, 720)
    code = snippet(embed, BASE, 480)
    frame, link = code.split("\n")
    assert frame == iframe_html(embed, BASE, 480)
    assert f'src="{BASE}events/rat/embed/kurz.html"' in frame
    assert 'title="Video: Kurzfassung – Sitzung des Rates"' in frame
    assert 'allow="fullscreen"' in frame and 'loading="lazy"' in frame
    assert 'width="480" height="270"' in frame and "aspect-ratio: 1280 / 720" in frame
    assert link == (
        f'<p><a href="{BASE}events/rat/">'
        "Kurzfassung: Sitzung des Rates – im Videoarchiv ansehen</a></p>"
    )
    assert frame_size(Embed("a", "b", "c", "d", 0, 0)) == (640, 360)  # unknown: 16:9


def test_snippet_escapes_titles() -> None:
    embed = Embed("rat", 'Rat "&" <Bürger>', "kurz", "Kurz", 16, 9)
    assert '"&"' not in snippet(embed, BASE) and "<Bürger>" not in snippet(embed, BASE)


def test_server_files_send_frame_ancestors_vtt_type_and_cache_headers() -> None:
    files = server_files()
    htaccess, nginx = files[".htaccess"], files["nginx-clipper.conf"]
    for text in (htaccess, nginx):
        assert f"{CSP}; frame-ancestors 'self'" in text
        assert f"{CSP}; frame-ancestors *" in text  # the embed pages
        assert "text/vtt" in text and "immutable" in text and "no-cache" in text
    config = ElementTree.fromstring(files["web.config"])
    types = {m.get("fileExtension"): m.get("mimeType") for m in config.iter("mimeMap")}
    assert types[".vtt"].startswith("text/vtt")
    headers = {
        h.get("name"): h.get("value")
        for h in config.find("system.webServer/httpProtocol/customHeaders").iter("add")
    }
    assert headers["Content-Security-Policy"] == f"{CSP}; frame-ancestors 'self'"
    framed = config.find("location[@path='events']")
    assert f"{CSP}; frame-ancestors *" in ElementTree.tostring(framed, encoding="unicode")
    assert "$" not in files["web.config"]  # every placeholder filled


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, h264_source: Path) -> Path:
    root = tmp_path_factory.mktemp("embed")
    make_project(root, h264_source)
    (root / "clipper.toml").write_text(SETTINGS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def published(project: Path) -> PublishResult:
    return publish(project)


@pytest.mark.slow
def test_oembed_document_carries_the_snippet_clipper_embed_prints(
    project: Path, published: PublishResult
) -> None:
    site = published.out_dir
    for name, option in (("zusammenfassung", []), ("gesamtaufzeichnung", ["--full"])):
        doc = json.loads((site / EVENT_DIR / "embed" / f"{name}.json").read_text("utf-8"))
        assert doc["version"] == "1.0" and doc["type"] == "video"
        assert doc["provider_name"] == "Videoarchiv Musterhausen"
        assert doc["thumbnail_url"].startswith(f"{BASE}{EVENT_DIR}/{name}.jpg?v=")
        result = run("embed", "foerderung", "--project", project, *option)
        assert result.exit_code == 0, result.output
        frame = result.output.strip().splitlines()[0]
        assert doc["html"] == frame
        assert f'width="{doc["width"]}" height="{doc["height"]}"' in frame
        assert doc["width"] * 240 == doc["height"] * 320  # the test recording is 4:3
        src = re.search(r'src="([^"]+)"', frame)
        assert src is not None and src.group(1) == f"{BASE}{EVENT_DIR}/embed/{name}.html"
        assert all(
            v.startswith(BASE) for k, v in doc.items() if k.endswith("url") and isinstance(v, str)
        )
    by_title = run("embed", project / "recordings" / "foerderung", "--clip", "Zusammenfassung")
    assert by_title.output == run("embed", "foerderung", "--project", project).output


@pytest.mark.slow
def test_discovery_links_point_at_the_right_videos(published: PublishResult) -> None:
    site = published.out_dir

    def oembed_links(path: Path) -> list[str | None]:
        return [
            link.get("href")
            for link in parse(path).all("link")
            if link.get("type") == "application/json+oembed"
        ]

    ld = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        (site / EVENT_DIR / "index.html").read_text("utf-8"),
    )
    assert ld is not None
    assert [v["embedUrl"] for v in json.loads(ld.group(1))["@graph"]] == [
        f"{BASE}{EVENT_DIR}/embed/{name}.html" for name in ("zusammenfassung", "gesamtaufzeichnung")
    ]
    default = f"{BASE}{EVENT_DIR}/embed/zusammenfassung.json"
    assert oembed_links(site / EVENT_DIR / "index.html") == [default]
    for name in ("zusammenfassung", "gesamtaufzeichnung"):
        page = site / EVENT_DIR / "embed" / f"{name}.html"
        assert oembed_links(page) == [f"{BASE}{EVENT_DIR}/embed/{name}.json"]


@pytest.mark.slow
def test_embed_page_is_the_player_and_the_archive_link_only(published: PublishResult) -> None:
    page = published.out_dir / EVENT_DIR / "embed" / "zusammenfassung.html"
    elements = parse(page)
    assert [t.get("kind") for t in elements.all("track")] == ["captions", "chapters"]
    assert "default" in elements.all("track")[0]
    links = [a for a in elements.all("a") if "download" not in a]
    assert [(a.get("href"), a.get("target")) for a in links] == [("../index.html", "_top")]
    assert "Gesamte Aufzeichnung im Videoarchiv" in page.read_text("utf-8")
    csp = [m.get("content") for m in elements.all("meta") if m.get("http-equiv")]
    assert csp == [CSP]
    sources = [s.get("src") for s in elements.all("source")]
    assert sources and all(
        s and re.fullmatch(r"\.\./zusammenfassung\.mp4\?v=[0-9a-f]{10}", s) for s in sources
    )
    for src in [t.get("src") for t in elements.all("track")] + sources:
        assert src and (page.parent / src.split("?")[0]).is_file()


@pytest.mark.slow
def test_downloads_carry_the_german_captions_as_a_default_soft_track(
    published: PublishResult, tmp_path: Path
) -> None:
    for name in ("zusammenfassung", "gesamtaufzeichnung"):
        with av.open(str(published.out_dir / EVENT_DIR / f"{name}.mp4")) as container:
            subs = [s for s in container.streams if s.type == "subtitle"]
            assert len(subs) == 1
            assert subs[0].codec_context.name == "mov_text"
            assert subs[0].metadata.get("language") == "deu"
            assert subs[0].disposition & av.stream.Disposition.default
        extracted = tmp_path / f"{name}.vtt"
        run_ffmpeg(
            [
                "-i",
                str(published.out_dir / EVENT_DIR / f"{name}.mp4"),
                "-map",
                "0:s:0",
                str(extracted),
            ]
        )
        # what VLC shows: the cues of the published track, speaker names included
        assert "Bürgermeister: Wir gehen neue Wege." in extracted.read_text("utf-8")


@pytest.mark.slow
def test_publishing_again_writes_the_same_bytes_and_a_recut_changes_the_url(
    project: Path, published: PublishResult
) -> None:
    before = tree_hashes(published.out_dir)
    again = publish(project)
    assert again.made == 0
    assert tree_hashes(again.out_dir) == before

    def clip_url() -> str:
        text = (project / "site" / EVENT_DIR / "index.html").read_text("utf-8")
        found = re.search(r'src="(zusammenfassung\.mp4\?v=[0-9a-f]+)"', text)
        assert found is not None
        return found.group(1)

    old = clip_url()
    toml = project / "recordings" / "foerderung" / "event.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text.replace("0:03 - 0:04.5", "0:03 - 0:05"), encoding="utf-8")
    try:
        publish(project)
        assert clip_url() != old
    finally:
        toml.write_text(text, encoding="utf-8")
        publish(project)
    assert clip_url() == old


@pytest.mark.slow
def test_embed_refuses_without_base_url_and_changes_nothing(
    tmp_path: Path, h264_source: Path
) -> None:
    make_project(tmp_path, h264_source)
    (tmp_path / "clipper.toml").write_text('[site]\ntitle = "Archiv"\n', encoding="utf-8")
    before = tree_hashes(tmp_path)
    one_line_error(run("embed", "foerderung", "--project", tmp_path), "base_url")
    one_line_error(run("embed", "nirgends", "--project", tmp_path))
    one_line_error(run("embed", "foerderung", "--project", tmp_path, "--clip", "X", "--full"))
    one_line_error(run("embed", "foerderung", "--project", tmp_path, "--width", "5"))
    assert tree_hashes(tmp_path) == before
    (tmp_path / "clipper.toml").write_text(dedent(SETTINGS), encoding="utf-8")
    one_line_error(run("embed", "foerderung", "--project", tmp_path, "--clip", "Nix"), "Nix")
