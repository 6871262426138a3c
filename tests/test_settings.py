"""Project settings (clipper.toml): defaults, every key, and errors that say how to fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from textwrap import dedent

import pytest

from clipper.settings import SETTINGS_FILE, Settings, SettingsError, load_settings

EXAMPLE = dedent(
    """\
    [site]
    title = "Videoarchiv der Stadt Musterhausen"
    description = "Ratssitzungen und Veranstaltungen zum Nachsehen."
    base_url = "https://video.musterhausen.de"
    publisher = "Stadt Musterhausen, Pressestelle"
    imprint_url = "https://www.musterhausen.de/impressum"
    privacy_contact = "Datenschutzbeauftragte, datenschutz@musterhausen.de"

    [accessibility]
    contact_email = "barrierefreiheit@musterhausen.de"
    contact_phone = "0123 456-0"
    contact_address = "Rathausplatz 1, 12345 Musterhausen"
    status = "teilweise"
    statement_date = 2026-11-01
    known_issues = "Ältere Videos haben keine Audiodeskription."
    enforcement_url = "https://www.schlichtungsstelle-bgg.de/"
    """
)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / SETTINGS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_no_file_gives_defaults_and_warns_about_legal_info(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings == Settings()
    assert settings.title == "Videoarchiv" and settings.base_url is None
    warnings = " ".join(settings.missing_legal_info())
    assert "contact_email" in warnings and "imprint_url" in warnings


def test_every_key_of_the_readme_example(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, EXAMPLE))
    assert settings.title == "Videoarchiv der Stadt Musterhausen"
    assert settings.base_url == "https://video.musterhausen.de/"  # a trailing / is added
    assert settings.imprint_url == "https://www.musterhausen.de/impressum"
    assert settings.publisher == "Stadt Musterhausen, Pressestelle"
    a11y = settings.accessibility
    assert a11y.contact_email == "barrierefreiheit@musterhausen.de"
    assert a11y.statement_date == dt.date(2026, 11, 1)
    assert a11y.status_text == "teilweise vereinbar"
    assert settings.missing_legal_info() == []


def test_the_reference_documents_every_key() -> None:
    readme = (Path(__file__).parent.parent / "docs" / "referenz.md").read_text(encoding="utf-8")
    for line in EXAMPLE.splitlines():
        if "=" in line:
            assert line.split("=")[0].strip() + " = " in readme, line


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[site]\ntitel = "x"\n', "did you mean 'title'"),
        ('[accessibility]\ncontact_mail = "a@b.de"\n', "did you mean 'contact_email'"),
        ('base_url = "https://x.de"\n', "put it under [site]"),
        ('[sites]\ntitle = "x"\n', "did you mean [site]"),
        ('[site]\nbase_url = "video.stadt.de"\n', "is not a web address"),
        ('[site]\ntitle = ""\n', "non-empty text"),
        ('[accessibility]\nstatus = "gut"\n', '"vollständig", "teilweise", "nicht"'),
        ('[accessibility]\nstatement_date = "letzte Woche"\n', "is not a date"),
        ('[accessibility]\ncontact_email = "niemand"\n', "not an e-mail address"),
        ('[site]\ntitle = "x"\ntitle = "y"\n', "line 3"),
    ],
)
def test_errors_name_the_file_the_key_and_the_fix(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(write(tmp_path, text))
    message = str(info.value)
    assert SETTINGS_FILE in message and words in message, message
