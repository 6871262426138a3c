"""The write guard: what a user types never makes clipper overwrite or replace data.

Every refusal is checked the way users are promised (one `error:` line, exit 1) and by
fingerprinting the whole project folder before and after: byte-identical, no leftovers.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from clirun import one_line_error, run
from office import complete_settings
from test_publish import make_project
from tree import leftovers, tree_hashes

from clipper.archive.event import load_events
from clipper.archive.protect import protected_in
from clipper.archive.slugs import SITE_NAMES, slugify
from clipper.demo.build import create_demo_event
from clipper.errors import ClipperError
from clipper.files.guard import (
    SITE_MARKER,
    Spot,
    clash,
    is_site_leftover,
    site_verdict,
)
from clipper.site.swap import recover

RANGE = "0:01-0:02"


@pytest.fixture
def project(tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "projekt"
    make_project(root, h264_source)
    make_project(root, h264_source, slug="andere")
    complete_settings(root)  # ready to publish: the preflight passes
    monkeypatch.chdir(root)
    return root


def refused(root: Path, *args: object, words: tuple[str, ...] = ()) -> None:
    """`clipper ARGS` refuses with one line and leaves every file under `root` as it was."""
    before = tree_hashes(root)
    one_line_error(run(*args), *words)
    assert tree_hashes(root) == before
    assert leftovers(root) == []


# --- pure rules ---------------------------------------------------------------------------


def test_clip_slugs_avoid_clippers_own_names_and_device_names() -> None:
    assert slugify("Gesamtaufzeichnung", taken=SITE_NAMES) == "gesamtaufzeichnung-2"
    assert slugify("Index", taken=SITE_NAMES) == "index-2"
    assert slugify("CON") == "con-2"
    assert slugify("lpt9") == "lpt9-2"
    assert slugify("Con.txt") == "con-txt"  # no dot: "con-txt.mp4" is an ordinary name
    assert slugify("Begrüßung", taken={"begruessung"}) == "begruessung-2"
    assert slugify("Begrüßung", taken={"begruessung", "begruessung-2"}) == "begruessung-3"


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    title = "Die Stadtverordnetenversammlung berät über den Haushalt des kommenden Jahres"
    slug = slugify(title)
    assert slug == "die-stadtverordnetenversammlung-beraet-ueber-den-haushalt"
    assert len(slugify("x" * 200)) == 60
    numbered = slugify(title, taken={slug})
    assert len(numbered) <= 60 and numbered.endswith("-2")


def spot(path: str, kind: str = "input", label: str = "", ident: tuple[int, int] | None = None):
    return Spot(Path(path), ident, kind, label)  # type: ignore[arg-type]


def test_clash_rules() -> None:
    protected = [
        spot("/p", "project"),
        spot("/p/recordings", "archive", "recordings"),
        spot("/elsewhere/rec.mp4", "original", "rat"),
        spot("/in/ranges.txt", "input", "the ranges file"),
    ]
    assert clash(spot("/p/site"), protected, replaces_folder=True) is None
    assert clash(spot("/p/clip.mp4"), protected) is None
    assert "is the project folder" in str(clash(spot("/p"), protected))
    assert "contains the project folder" in str(clash(spot("/"), protected))
    assert "inside the archive" in str(clash(spot("/p/recordings/x/new.mp4"), protected))
    assert "original recording of the event rat" in str(
        clash(spot("/elsewhere/rec.mp4"), protected)
    )
    assert "contains the original" in str(
        clash(spot("/elsewhere"), protected, replaces_folder=True)
    )
    assert clash(spot("/elsewhere/clip.mp4"), protected) is None
    assert "the ranges file" in str(clash(spot("/in/ranges.txt"), protected))
    # the same file under another name (a hard link): same device and inode
    linked = [spot("/a/rec.mp4", "original", "rat", ident=(1, 2))]
    assert clash(spot("/b/other.mp4", ident=(1, 2)), linked) is not None


def test_site_verdicts() -> None:
    assert site_verdict(None, None, "id") == "file"
    assert site_verdict([], None, "id") == "empty"
    assert site_verdict([SITE_MARKER, "index.html"], "id", "id") == "ours"
    assert site_verdict([SITE_MARKER, "index.html"], "other", "id") == "other-project"
    assert site_verdict([SITE_MARKER], None, None) == "other-project"
    assert site_verdict(["index.html", "events", "static", "feed.xml"], None, "id") == "legacy"
    assert site_verdict(["index.html", "events", "brief.docx"], None, "id") == "not-a-site"
    assert site_verdict(["events"], None, "id") == "not-a-site"
    assert is_site_leftover(["events", SITE_MARKER])
    assert not is_site_leftover(["events", "brief.docx"])


# --- publish --out ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "words"),
    [
        ("recordings", ("recordings", "archive")),
        ("transcripts", ("transcripts", "archive")),
        (".", ("is the project folder",)),
        ("/", ("contains the project folder",)),
        ("recordings/foerderung", ("inside the archive",)),
        ("recordings/foerderung/aufzeichnung.mp4", ("original recording", "foerderung")),
        ("transcripts/foerderung.de.vtt", ("transcript of the event foerderung",)),
        ("../projekt/recordings/../recordings", ("archive",)),
    ],
)
def test_publish_never_replaces_the_project_or_its_archive(
    project: Path, out: str, words: tuple[str, ...]
) -> None:
    refused(project.parent, "publish", "--out", out, words=(out, *words))


def test_publish_refuses_a_symlink_to_the_archive(project: Path) -> None:
    (project / "link").symlink_to(project / "recordings")
    refused(project.parent, "publish", "--out", "link", words=("archive",))


def test_publish_refuses_a_folder_with_other_files(project: Path) -> None:
    (project / "ablage").mkdir()
    (project / "ablage" / "brief.docx").write_bytes(b"Brief")
    (project / "ablage" / "index.html").write_text("<p>meins</p>")
    refused(project.parent, "publish", "--out", "ablage", words=("not a clipper site",))


def test_publish_refuses_an_existing_file(project: Path) -> None:
    (project / "notiz.txt").write_text("wichtig")
    refused(project.parent, "publish", "--out", "notiz.txt", words=("is a file",))


def test_publish_refuses_a_missing_parent_folder(project: Path) -> None:
    refused(project.parent, "publish", "--out", "neu/site", words=("does not exist", "--parents"))


def test_publish_refuses_another_projects_site(project: Path) -> None:
    site = project / "fremd"
    site.mkdir()
    (site / "index.html").write_text("<p>fremd</p>")
    (site / SITE_MARKER).write_text('{"clipper": "site", "project": "0123"}')
    refused(project.parent, "publish", "--out", "fremd", words=("another clipper project",))


def test_a_site_without_marker_is_recognised_and_gets_one(project: Path) -> None:
    site = project / "site"
    (site / "events").mkdir(parents=True)
    (site / "index.html").write_text("<p>alt</p>")
    (site / "feed.xml").write_text("<feed/>")
    result = run("publish")
    assert result.exit_code == 0, result.output
    marker = (site / SITE_MARKER).read_text()
    project_id = (project / ".clipper-id").read_text().strip()
    assert project_id in marker and str(project) not in marker
    assert "Neue Wege" in (site / "events" / "foerderung" / "index.html").read_text()
    # an again-published site is this project's own
    assert run("publish").exit_code == 0
    assert leftovers(project) == []


def test_recover_leaves_folders_alone_that_are_not_clippers(tmp_path: Path) -> None:
    mine = tmp_path / ".site.old-999999999"
    mine.mkdir()
    (mine / "brief.docx").write_bytes(b"Brief")
    building = tmp_path / ".site.building-999999999"
    (building / "events").mkdir(parents=True)
    (building / SITE_MARKER).write_text("{}")
    done = recover(tmp_path / "site")
    assert (mine / "brief.docx").read_bytes() == b"Brief"
    assert not building.exists()
    assert done == ["removed the unfinished build .site.building-999999999"]


# --- cut -o -------------------------------------------------------------------------------


def test_cut_refuses_to_write_over_another_events_original(project: Path) -> None:
    source = project / "recordings" / "foerderung" / "aufzeichnung.mp4"
    other = project / "recordings" / "andere" / "aufzeichnung.mp4"
    refused(project.parent, "cut", source, "-o", other, "--range", RANGE, words=("andere",))


def test_cut_refuses_an_original_reached_by_symlink_or_dots(project: Path) -> None:
    source = project / "recordings" / "foerderung" / "aufzeichnung.mp4"
    (project / "clips").mkdir()
    (project / "clips" / "alt.mp4").symlink_to(project / "recordings/andere/aufzeichnung.mp4")
    refused(project.parent, "cut", source, "-o", "clips/alt.mp4", "--range", RANGE,
            words=("original recording",))  # fmt: skip
    dotted = "clips/../recordings/andere/aufzeichnung.mp4"
    refused(project.parent, "cut", source, "-o", dotted, "--range", RANGE,
            words=("original recording",))  # fmt: skip


def test_cut_refuses_a_hard_link_of_an_original(project: Path, tmp_path: Path) -> None:
    source = project / "recordings" / "foerderung" / "aufzeichnung.mp4"
    elsewhere = tmp_path / "kopie.mp4"
    os.link(project / "recordings/andere/aufzeichnung.mp4", elsewhere)
    refused(tmp_path, "cut", source, "-o", elsewhere, "--range", RANGE, words=("original",))


def test_cut_refuses_to_write_its_subtitles_over_the_input_transcript(project: Path) -> None:
    source = project / "recordings" / "foerderung" / "aufzeichnung.mp4"
    (project / "T.vtt").write_bytes((project / "transcripts" / "foerderung.de.vtt").read_bytes())
    refused(project.parent, "cut", source, "-s", "T.vtt", "-o", "T.mp4", "--range", RANGE,
            words=("T.vtt", "subtitles file"))  # fmt: skip


def test_cut_refuses_to_write_over_its_ranges_file(project: Path) -> None:
    source = project / "recordings" / "foerderung" / "aufzeichnung.mp4"
    (project / "teile.mp4").write_text("0:01 - 0:02 Teil\n")
    refused(project.parent, "cut", source, "-r", "teile.mp4", "-o", "teile.mp4",
            words=("ranges file",))  # fmt: skip


def test_cut_into_a_missing_folder_needs_parents(project: Path) -> None:
    source = project / "recordings" / "foerderung" / "aufzeichnung.mp4"
    refused(project.parent, "cut", source, "-o", "neu/clip.mp4", "--range", RANGE,
            words=("neu", "--parents"))  # fmt: skip
    made = run("cut", source, "-o", "neu/clip.mp4", "--range", RANGE, "--parents")
    assert made.exit_code == 0, made.output
    first = (project / "neu" / "clip.mp4").stat().st_size
    # an earlier clip is the user's own output: cutting again replaces it
    again = run("cut", source, "-o", "neu/clip.mp4", "--range", "0:01-0:03")
    assert again.exit_code == 0, again.output
    assert (project / "neu" / "clip.mp4").stat().st_size != first
    assert leftovers(project) == []


def test_subtitles_convert_refuses_an_events_transcript(project: Path) -> None:
    (project / "neu.srt").write_bytes(b"")
    refused(project.parent, "subtitles", "convert", "neu.srt", "transcripts/foerderung.de.vtt",
            words=("transcript of the event foerderung",))  # fmt: skip


# --- slugs, demo, ingest ------------------------------------------------------------------


def test_a_clip_titled_like_the_full_recording_gets_its_own_name(project: Path) -> None:
    toml = project / "recordings" / "foerderung" / "event.toml"
    text = toml.read_text().replace('title = "Zusammenfassung"', 'title = "Gesamtaufzeichnung"')
    text += '\n[[clips]]\ntitle = "CON"\nranges = "0:01 - 0:02"\n'
    text += '\n[[clips]]\ntitle = "Gesamtaufzeichnung!"\nranges = "0:01 - 0:02"\n'
    toml.write_text(text)
    event = next(e for e in load_events(project) if e.slug == "foerderung")
    assert [c.slug for c in event.clips] == [
        "gesamtaufzeichnung-2",
        "con-2",
        "gesamtaufzeichnung-3",
    ]


def test_demo_refuses_to_replace_an_event_of_the_same_name(tmp_path: Path) -> None:
    event = tmp_path / "recordings" / "verwaltungsrebellen-labor"
    event.mkdir(parents=True)
    (event / "event.toml").write_text('title = "Unsere Sitzung"\n')
    (event / "aufzeichnung.mp4").write_bytes(b"original")
    before = tree_hashes(tmp_path)
    with pytest.raises(ClipperError, match="demo's name"):
        create_demo_event(tmp_path, seconds_limit=2)
    assert tree_hashes(tmp_path) == before


def test_ingest_refuses_a_project_inside_an_archive(project: Path, h264_source: Path) -> None:
    refused(project.parent, "ingest", h264_source, "--project", "recordings/foerderung",
            words=("archive",))  # fmt: skip


def test_a_broken_event_toml_still_protects_what_it_names(project: Path) -> None:
    """The guard reads event.toml leniently: a control character in a text (refused when
    the event is loaded) or an event.toml that is a FIFO must not switch protection off."""
    aufnahmen = project / "aufnahmen"
    aufnahmen.mkdir()
    event = project / "recordings" / "andere"
    (event / "aufzeichnung.mp4").rename(aufnahmen / "andere.mp4")
    toml = event / "event.toml"
    text = toml.read_text().replace('"aufzeichnung.mp4"', '"aufnahmen/andere.mp4"')
    toml.write_text(text.replace('credits = "Pressestelle"', 'credits = "Presse\\u0007stelle"'))
    source = project / "recordings" / "foerderung" / "aufzeichnung.mp4"
    refused(project.parent, "cut", source, "-o", "aufnahmen/andere.mp4", "--range", RANGE,
            words=("aufnahmen/andere.mp4", "original recording of the event andere"))  # fmt: skip
    # its own commands report the file as broken, with the line
    one_line_error(run("list", "--project", project), "event.toml", "U+0007")


def test_the_guard_never_blocks_on_an_event_toml_that_is_a_fifo(project: Path) -> None:
    toml = project / "recordings" / "andere" / "event.toml"
    toml.unlink()
    os.mkfifo(toml)
    # in a thread first, so that a guard that blocks fails the test instead of hanging it
    looked_up: list[object] = []
    worker = threading.Thread(target=lambda: looked_up.append(protected_in(project)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert looked_up, "protected_in blocked on a FIFO named event.toml"
    source = project / "recordings" / "foerderung" / "aufzeichnung.mp4"
    refused(project.parent, "cut", source, "-o", "recordings/andere/x.mp4", "--range", RANGE,
            words=("inside the archive folder recordings/",))  # fmt: skip


def test_ingest_refuses_a_project_inside_a_published_site(project: Path, h264_source: Path) -> None:
    # the next publish replaces site/ as a whole: an archive in it would go with it
    site = project / "site"
    (site / "events").mkdir(parents=True)
    (site / SITE_MARKER).write_text("{}", encoding="utf-8")
    refused(project.parent, "ingest", h264_source, "--project", "site/events",
            words=("site/events", "published site"))  # fmt: skip


def test_demo_refuses_a_project_inside_a_published_site(project: Path) -> None:
    site = project / "site"
    site.mkdir()
    (site / SITE_MARKER).write_text("{}", encoding="utf-8")
    refused(project.parent, "demo", "--project", "site", words=("site", "published site"))
