"""The preflight's rules one by one, the path limit and the rename retry (no media)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clipper.archive.keys import is_placeholder
from clipper.archive.project import find_project, settings_template
from clipper.errors import ClipperError
from clipper.files import retry
from clipper.files.atomic import atomic_write_text
from clipper.files.retry import FileInUseError, replace_retrying
from clipper.settings import AccessibilitySettings, Settings
from clipper.site import preflight as rules
from clipper.site.pathlimit import EventNames, check_path_lengths, planned_paths


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIPPER_LANG", "en")


def facts(**kwargs: object) -> rules.EventFacts:
    base: dict[str, object] = dict(
        slug="sitzung",
        event_file=Path("recordings/sitzung/event.toml"),
        recording_ms=120_000,
        date_confirmed=True,
        transcript=Path("recordings/sitzung/t.vtt"),
        cue_spans=[(500, 119_000)],
    )
    base.update(kwargs)
    return rules.EventFacts(**base)  # type: ignore[arg-type]


LEGAL = Settings(
    publisher="Stadt X",
    imprint_url="https://x.de/impressum",
    accessibility=AccessibilitySettings(contact_email="a@x.de"),
)


def test_a_complete_event_passes_every_rule() -> None:
    report = rules.preflight(LEGAL, "clipper.toml", [facts()])
    assert report.ok and report.warnings == [] and report.failed_events == frozenset()


def test_cues_after_the_recording() -> None:
    assert rules.transcript_beyond_recording(facts(cue_spans=[(0, 121_000)])) == []  # slack
    [problem] = rules.transcript_beyond_recording(facts(recording_ms=6_000))
    assert problem.where == Path("recordings/sitzung/t.vtt") and "1:59" in problem.what
    assert problem.slug == "sitzung"


def test_cues_covering_under_half() -> None:
    assert rules.transcript_too_short(facts(cue_spans=[(0, 60_000)])) == []
    [problem] = rules.transcript_too_short(facts(cue_spans=[(0, 59_999)]))
    assert "0:59" in problem.what and "2:00" in problem.what


def test_unconfirmed_date() -> None:
    assert rules.date_unconfirmed(facts()) == []
    [problem] = rules.date_unconfirmed(facts(date_confirmed=False))
    assert "date = 2026-05-17" in problem.fix


def test_clips_without_ranges() -> None:
    [problem] = rules.clips_without_ranges(facts(clips_without_ranges=["Kurz"]))
    assert '"Kurz"' in problem.what


def test_legal_settings_missing_placeholder_or_filled() -> None:
    assert len(rules.legal_settings(Settings(), "c.toml")) == 3
    assert rules.legal_settings(LEGAL, "c.toml") == []
    phone_only = Settings(
        publisher="Stadt X",
        imprint_url="https://x.de/i",
        accessibility=AccessibilitySettings(contact_phone="0123"),
    )
    assert rules.legal_settings(phone_only, "c.toml") == []
    placeholders = Settings(
        publisher="BITTE AUSFÜLLEN: Stadt …",
        imprint_url="https://bitte-ausfuellen.invalid/impressum",
        accessibility=AccessibilitySettings(contact_email="b@bitte-ausfuellen.invalid"),
    )
    assert len(rules.legal_settings(placeholders, "c.toml")) == 3


def test_no_captions_only_warns() -> None:
    report = rules.preflight(LEGAL, "clipper.toml", [facts(transcript=None, cue_spans=[])])
    assert report.ok and len(report.warnings) == 1


def test_failed_events_are_the_events_with_own_problems() -> None:
    report = rules.preflight(Settings(), "c.toml", [facts(), facts(slug="b", date_confirmed=False)])
    assert report.failed_events == frozenset({"b"})


def test_init_template_placeholders_are_recognised() -> None:
    import tomllib

    data = tomllib.loads(settings_template())
    assert is_placeholder(data["site"]["publisher"])
    assert is_placeholder(data["site"]["imprint_url"])
    assert is_placeholder(data["accessibility"]["contact_email"])
    assert not is_placeholder("Stadt Musterhausen")


def test_find_project_walks_up_and_stays_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "recordings" / "a").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "recordings" / "a")
    assert find_project() == Path("../..")
    monkeypatch.chdir(tmp_path)
    assert find_project() == Path(".")


# ------------------------------------------------------------------------ MAX_PATH


def test_the_longest_planned_path_is_refused_before_writing(tmp_path: Path) -> None:
    names = [EventNames("sitzung", ["zusammenfassung"])]
    check_path_lengths(planned_paths(tmp_path / "site", names))
    deep = tmp_path / ("x" * 200) / "site"
    with pytest.raises(ClipperError) as caught:
        check_path_lengths(planned_paths(deep, names))
    assert "Windows allows at most 259" in str(caught.value)
    assert "gesamtaufzeichnung" in str(caught.value) and "--out" in str(caught.value)


# ------------------------------------------------------------------ rename retry


def test_a_rename_is_retried_while_another_program_holds_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.replace
    calls: list[object] = []

    def busy_three_times(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) <= 3:
            raise PermissionError(13, "Zugriff verweigert")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", busy_three_times)
    target = tmp_path / "event.toml"
    target.write_text("alt", encoding="utf-8")
    atomic_write_text(target, "neu")
    assert target.read_text(encoding="utf-8") == "neu" and len(calls) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["event.toml"]  # no temp file left


def test_a_rename_that_stays_blocked_names_the_file_and_what_to_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_busy(src: object, dst: object) -> None:
        raise PermissionError(13, "Zugriff verweigert")

    monkeypatch.setattr(os, "replace", always_busy)
    clock = iter(range(0, 1000))
    monkeypatch.setattr(retry.time, "monotonic", lambda: float(next(clock)))
    slept: list[float] = []
    target = tmp_path / "index.html"
    with pytest.raises(FileInUseError) as caught:
        replace_retrying(tmp_path / "neu", target, wait=5, sleep=slept.append)
    assert str(target) in str(caught.value) and "close" in str(caught.value)
    assert len(slept) >= 3  # it did wait and try again


def test_the_site_swap_retries_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clipper.site import swap

    real = os.replace
    failures = iter([True, True, False, False])

    def flaky(src: object, dst: object) -> None:
        if next(failures, False):
            raise PermissionError(13, "Zugriff verweigert")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", flaky)
    monkeypatch.setattr(swap, "exchange", lambda a, b: False)  # the Windows way: two renames
    site, staging = tmp_path / "site", tmp_path / ".site.building-1"
    site.mkdir()
    (site / "index.html").write_text("alt")
    staging.mkdir()
    (staging / "index.html").write_text("neu")
    swap.swap_in(staging, site)
    assert (site / "index.html").read_text() == "neu"
