"""From an empty folder to a page that is safe to publish: init, ingest, check, publish.

Every refusal leaves the project tree as it was; `--draft` publishes anyway, with noindex
and the Entwurf banner on every page and without the failing events in the feed.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from clirun import one_line_error, run
from office import complete_settings, refused
from test_publish import make_project, parse
from tree import tree_hashes


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Assert on the message ids: the same test holds before and after the catalog."""
    monkeypatch.setenv("CLIPPER_LANG", "en")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def assert_draft(site: Path) -> None:
    """Every page says noindex and shows the Entwurf banner."""
    found = pages(site)
    assert len(found) >= 4
    for page in found:
        html = page.read_text(encoding="utf-8")
        metas = [m for m in parse(page).all("meta") if m.get("name") == "robots"]
        assert metas == [{"name": "robots", "content": "noindex"}], page
        banner = re.search(r'<p class="draft-banner"[^>]*>(.*?)</p>', html, re.S)
        assert banner and "Entwurf" in banner.group(1), page


def feed_titles(site: Path) -> list[str]:
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.parse(site / "feed.xml").getroot()
    return [e.findtext(f"{atom}title") or "" for e in root.iter(f"{atom}entry")]


# --------------------------------------------------------------------------- init


def test_init_creates_the_project_and_refuses_to_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "Videoarchiv Stadt"
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    for name in ("recordings", "transcripts", "site"):
        assert (folder / name).is_dir()
    text = (folder / "clipper.toml").read_text(encoding="utf-8")
    assert "BITTE AUSFÜLLEN" in text and "[accessibility]" in text
    from clipper.settings import load_settings

    settings = load_settings(folder)  # a valid file: the placeholders read as values
    assert settings.publisher and "BITTE AUSFÜLLEN" in settings.publisher
    before = tree_hashes(folder)
    one_line_error(run("init", folder), "already a project")
    assert tree_hashes(folder) == before


def test_init_placeholders_are_refused_by_check(tmp_path: Path) -> None:
    run("init", tmp_path)
    before = tree_hashes(tmp_path)
    problems = refused(run("check", "--project", tmp_path), "clipper.toml")
    assert [p.split(". ", 1)[1].split(":", 1)[0] for p in problems] == [
        str(tmp_path / "clipper.toml")
    ] * 3
    assert tree_hashes(tmp_path) == before


# ----------------------------------------------------------------- the whole path


def test_init_ingest_publish_from_a_subfolder(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "archiv"
    assert run("init", project).exit_code == 0
    complete_settings(project)
    recording = tmp_path / "Ratssitzung.mp4"
    shutil.copy(h264_source, recording)
    transcript = tmp_path / "sitzung.vtt"
    transcript.write_text(
        "WEBVTT\n\ncue-1\n00:00:00.500 --> 00:00:07.000\nWillkommen zur Sitzung.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(project / "transcripts")  # a subfolder: the project is found above
    result = run("ingest", recording, "--title", "Ratssitzung", "--transcript", transcript)
    assert result.exit_code == 0, result.output
    event = project / "recordings" / "ratssitzung"
    text = (event / "event.toml").read_text(encoding="utf-8")
    # the date came from the file: in quotes, and the preflight refuses it
    assert re.search(r'^date = "\d{4}-\d\d-\d\d"', text, re.M), text
    for key in ("description", "plain_language", "visual_description", "[[clips]]"):
        assert f"# {key}" in text
    assert text.index("Ende Ihres Teils") < text.index("[original]")
    monkeypatch.chdir(event)
    before = tree_hashes(project)
    problems = refused(run("publish"), "date", "event.toml")
    assert len(problems) == 1 and "date = 2026-05-17" in problems[0]
    assert tree_hashes(project) == before
    # confirming the date is writing it without quotes on its line: nothing else
    (event / "event.toml").write_text(
        re.sub(r'^date = "(\S+)".*$', r"date = \1", text, flags=re.M), encoding="utf-8"
    )
    assert run("check").exit_code == 0
    result = run("publish")
    assert result.exit_code == 0, result.output
    site = project / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Ratssitzung" in index and "noindex" not in index and "draft-banner" not in index
    assert feed_titles(site) == ["Ratssitzung"]


# --------------------------------------------------------- each rule refuses; --draft


def _ready(tmp_path: Path, source: Path, **kwargs: str) -> Path:
    event = make_project(tmp_path, source, **kwargs)
    complete_settings(tmp_path)
    return event


def _refuse_then_draft(project: Path, *words: str, in_feed: list[str]) -> list[str]:
    before = tree_hashes(project)
    problems = refused(run("publish", "--project", project), *words)
    assert tree_hashes(project) == before
    problems_check = refused(run("check", "--project", project), *words)
    assert problems_check == problems
    assert tree_hashes(project) == before
    result = run("publish", "--project", project, "--draft")
    assert result.exit_code == 0, result.output
    assert_draft(project / "site")
    assert feed_titles(project / "site") == in_feed
    return problems


def test_a_complete_project_publishes_without_draft_marks(
    tmp_path: Path, h264_source: Path
) -> None:
    _ready(tmp_path, h264_source)
    assert run("check", "--project", tmp_path).exit_code == 0
    result = run("publish", "--project", tmp_path)
    assert result.exit_code == 0, result.output
    for page in pages(tmp_path / "site"):
        html = page.read_text(encoding="utf-8")
        assert "Entwurf" not in html, page
        # embed pages are never indexed on their own (the event page is), drafts or not
        assert ("noindex" in html) == ("/embed/" in page.as_posix()), page


def test_transcript_of_another_recording_is_refused(tmp_path: Path, h264_source: Path) -> None:
    long = "WEBVTT\n\n00:00:00.500 --> 00:01:59.000\nZwei Minuten Text.\n"
    _ready(tmp_path, h264_source, transcript=long)
    problems = _refuse_then_draft(tmp_path, "transcripts/foerderung.de.vtt", "1:59", in_feed=[])
    assert len(problems) == 1 and "foerderung.de.vtt" in problems[0]


def test_transcript_covering_under_half_is_refused(tmp_path: Path, h264_source: Path) -> None:
    short = "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nNur der Anfang.\n"
    _ready(tmp_path, h264_source, transcript=short)
    problems = _refuse_then_draft(tmp_path, "foerderung.de.vtt", "0:02", in_feed=[])
    assert len(problems) == 1


def test_unconfirmed_date_is_refused(tmp_path: Path, h264_source: Path) -> None:
    _ready(tmp_path, h264_source, date='"2020-09-17"')
    _refuse_then_draft(tmp_path, "date", in_feed=[])


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (None, ["publisher", "imprint", "accessibility"]),
        ("init", ["publisher", "imprint", "accessibility"]),
        ('[site]\npublisher = "Stadt X"\n', ["imprint", "accessibility"]),
    ],
)
def test_missing_or_placeholder_legal_settings_are_refused(
    tmp_path: Path, h264_source: Path, settings: str | None, words: list[str]
) -> None:
    make_project(tmp_path, h264_source)
    if settings == "init":
        from clipper.archive.project import settings_template

        (tmp_path / "clipper.toml").write_text(settings_template(), encoding="utf-8")
    elif settings is not None:
        (tmp_path / "clipper.toml").write_text(settings, encoding="utf-8")
    # site-wide problems: the events themselves are fine and stay in the draft's feed
    problems = _refuse_then_draft(
        tmp_path, "clipper.toml", *words, in_feed=["Förderbescheid für das Labor"]
    )
    assert len(problems) == len(words)


def test_clip_without_ranges_is_refused(tmp_path: Path, h264_source: Path) -> None:
    _ready(tmp_path, h264_source, ranges='""')
    _refuse_then_draft(tmp_path, "Zusammenfassung", "no ranges", in_feed=[])


def test_only_the_failing_event_leaves_the_drafts_feed(tmp_path: Path, h264_source: Path) -> None:
    _ready(tmp_path, h264_source)
    make_project(tmp_path, h264_source, slug="zweite", date='"2021-01-01"')
    _refuse_then_draft(tmp_path, "zweite", in_feed=["Förderbescheid für das Labor"])


def test_an_event_without_captions_only_warns(tmp_path: Path, h264_source: Path) -> None:
    event = _ready(tmp_path, h264_source, ranges='"0:01 - 0:03"')
    toml = event / "event.toml"
    toml.write_text(
        re.sub(r"^\s*transcript = .*\n", "", toml.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    result = run("publish", "--project", tmp_path)
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "no captions" in result.output
    statement = (tmp_path / "site" / "barrierefreiheit.html").read_text(encoding="utf-8")
    assert "Förderbescheid für das Labor" in statement


# ------------------------------------------------------------------ the table trap


def test_a_key_below_original_names_the_key_and_the_table(
    tmp_path: Path, h264_source: Path
) -> None:
    event = _ready(tmp_path, h264_source)
    toml = event / "event.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[original]\nsha256 = "00"\nsize = 1\ndescription = "Neu"\n',
        encoding="utf-8",
    )
    before = tree_hashes(tmp_path)
    result = run("publish", "--project", tmp_path)
    one_line_error(result, "description", "[original]", "move the line above")
    assert tree_hashes(tmp_path) == before


def test_a_key_below_clips_names_the_key_and_the_table(tmp_path: Path, h264_source: Path) -> None:
    event = _ready(tmp_path, h264_source)
    toml = event / "event.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + 'plain_language = "Leicht"\n', encoding="utf-8"
    )
    one_line_error(run("check", "--project", tmp_path), "plain_language", "[[clips]]")


# -------------------------------------------------------------- hints that work


def _hints(text: str) -> list[str]:
    return re.findall(r"(clipper (?:transcript|ranges check) \S+)", text)


def test_hints_in_event_toml_work_when_pasted(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", tmp_path)
    transcript = tmp_path / "t.vtt"
    transcript.write_text(
        "WEBVTT\n\ncue-1\n00:00:00.500 --> 00:00:07.000\nWillkommen.\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = run(
        "ingest", h264_source, "--title", "Sitzung", "--date", "2026-05-17",
        "--transcript", transcript,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    event = tmp_path / "recordings" / "sitzung"
    text = (event / "event.toml").read_text(encoding="utf-8")
    assert "date = 2026-05-17\n" in text  # given with --date: confirmed
    hints = _hints(text)
    assert {h.split()[1] for h in hints} == {"transcript", "ranges"}, hints
    # the ranges check needs a clip: add the commented example clip's first form
    toml = event / "event.toml"
    toml.write_text(
        text.replace(
            "# ===== Ende",
            '[[clips]]\ntitle = "Kurz"\nranges = "0:01 - 0:03"\n\n# ===== Ende',
        ),
        encoding="utf-8",
    )
    for where in (tmp_path, event, tmp_path / "site"):
        monkeypatch.chdir(where)
        for hint in hints:
            result = run(*shlex.split(hint)[1:])
            assert result.exit_code == 0, (where, hint, result.output)
    monkeypatch.chdir(event)
    listing = run("transcript", "sitzung")
    assert "Willkommen." in listing.output and "cue-1" in listing.output
    checked = run("ranges", "check", "sitzung")
    assert "Kurz" in checked.output


def test_transcript_of_an_event_without_one(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = _ready(tmp_path, h264_source)
    toml = event / "event.toml"
    toml.write_text(
        re.sub(r"^\s*transcript = .*\n", "", toml.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    one_line_error(
        run("transcript", "foerderung"), "no transcript", "clipper transcribe foerderung"
    )


def test_printed_next_steps_work(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`clipper init`'s last line is the next command: run it as printed, with a real file
    in place of the placeholder AUFZEICHNUNG.mp4."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(h264_source, tmp_path / "AUFZEICHNUNG.mp4")
    result = run("init", "neu")
    line = result.output.strip().splitlines()[-1].strip()
    move, command = line.split("; ")  # `;` separates commands in PowerShell and sh alike
    monkeypatch.chdir(shlex.split(move)[1])
    words = shlex.split(command.replace("AUFZEICHNUNG.mp4", str(tmp_path / "AUFZEICHNUNG.mp4")))
    assert words[0] == "clipper"
    ingested = run(*words[1:])
    assert ingested.exit_code == 0, ingested.output
    assert (tmp_path / "neu" / "recordings").is_dir()
    assert len(list((tmp_path / "neu" / "recordings").iterdir())) == 1


def test_a_hint_in_an_error_is_a_command_that_works(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ready(tmp_path, h264_source, ranges='"#cue-99"')
    monkeypatch.chdir(tmp_path / "recordings")
    for args in (("ranges", "check", "foerderung"), ("publish",)):
        result = run(*args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        last = result.output.strip().splitlines()[-1]  # publish shows its progress first
        assert last.startswith("error: ") and "cue-99" in last
        [hint] = re.findall(r"`(clipper transcript [^`]+)`", result.output)
        assert hint == "clipper transcript foerderung"
        listed = run(*shlex.split(hint)[1:])
        assert listed.exit_code == 0 and "#cue-2" in listed.output, listed.output
