"""The staff docs cannot drift from the code: the settings reference is generated from
clipper/archive/keys.py, the troubleshooting section of docs/anleitung.md from the real
messages (run in German, from the catalog), and every new message is in the catalog.

`CLIPPER_UPDATE_DOCS=1 pytest tests/test_office_docs.py` rewrites both after a change.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from clirun import run
from office import complete_settings
from test_publish import make_project

import clipper
from clipper import i18n

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
PO = Path(clipper.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "clipper.po"
UPDATE = bool(os.environ.get("CLIPPER_UPDATE_DOCS"))
NEW_MODULES = [
    "archive/project.py",
    "archive/lookup.py",
    "archive/tabletrap.py",
    "site/preflight.py",
    "site/preflight_run.py",
    "site/pathlimit.py",
    "files/retry.py",
    "cli/office.py",
]
START, END = "<!-- meldungen:start -->", "<!-- meldungen:end -->"


def _check(path: Path, text: str) -> None:
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"{path.name} is out of date: run CLIPPER_UPDATE_DOCS=1 pytest {__file__}"
    )


# ------------------------------------------------------------------ the catalog


def _msgids(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        called = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if called and node.func.id in ("_", "ngettext") and node.args:  # type: ignore[attr-defined]
            first = node.args[0]  # type: ignore[attr-defined]
            assert isinstance(first, ast.Constant), f"{path}: one literal per message"
            found.append(first.value)
    return found


def test_every_new_message_has_a_german_translation() -> None:
    catalog = read_po(PO.open("rb"))
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog}
    package = Path(clipper.__file__).parent
    for module in NEW_MODULES:
        for msgid in _msgids(package / module):
            assert translated.get(msgid), f"{module}: {msgid!r} is not in {PO.name}"


@pytest.fixture
def german(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The German catalog compiled from the .po file (as the wheel ships it)."""
    locale = tmp_path_factory.mktemp("locale")
    target = locale / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "clipper.mo").open("wb") as f:
        write_mo(f, read_po(PO.open("rb")))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setenv("CLIPPER_LANG", "de")
    i18n._catalog.cache_clear()
    yield
    i18n._catalog.cache_clear()


# ---------------------------------------------------- docs/einstellungen.md


def settings_reference() -> str:
    from clipper.archive.keys import EVENT_KEYS, SETTINGS_KEYS

    lines = [
        "# Einstellungen",
        "",
        "Diese Seite wird aus dem Code erzeugt (`clipper/archive/keys.py`); ein Test prüft,",
        "dass sie aktuell ist. Anleitung für den Einstieg: [anleitung.md](anleitung.md).",
        "",
        "## clipper.toml (die Website)",
        "",
        "`clipper init` schreibt diese Datei mit allen Einstellungen. Pflichtangaben stehen",
        "dort als „BITTE AUSFÜLLEN“; `clipper publish` veröffentlicht erst, wenn sie",
        "ausgefüllt sind (`clipper check` prüft es).",
    ]
    for table in ("site", "accessibility", "encoding"):
        lines += ["", f"### [{table}]", "", "| Schlüssel | Pflicht | Bedeutung | Beispiel |"]
        lines += ["|---|---|---|---|"]
        lines += [
            f"| `{k.name}` | {'ja' if k.required else ''} | {k.text} | `{k.name} = {k.example}` |"
            for k in SETTINGS_KEYS
            if k.table == table
        ]
    lines += [
        "",
        "## event.toml (eine Veranstaltung)",
        "",
        "`clipper ingest` schreibt diese Datei in `recordings/<name>/`. Alles, was Sie",
        "ergänzen, gehört **über** die Zeile `[original]`: TOML zählt jede Zeile darunter zu",
        "dieser Tabelle.",
        "",
        "| Schlüssel | Pflicht | Bedeutung | Beispiel |",
        "|---|---|---|---|",
    ]
    for k in EVENT_KEYS:
        name = f"[[clips]] {k.name}" if k.table == "clips" else k.name
        example = k.example if k.name == "original" else f"{k.name} = {k.example}"
        lines.append(f"| `{name}` | {'ja' if k.required else ''} | {k.text} | `{example}` |")
    return "\n".join(lines) + "\n"


def test_the_settings_reference_is_up_to_date() -> None:
    _check(DOCS / "einstellungen.md", settings_reference())


def test_the_reference_lists_every_key_the_readers_know() -> None:
    from clipper.archive.event import CLIP_KEYS, KNOWN_KEYS
    from clipper.archive.keys import EVENT_KEYS, SETTINGS_KEYS
    from clipper.settings import _TABLES

    for table, keys in _TABLES.items():
        assert {k.name for k in SETTINGS_KEYS if k.table == table} == keys
    assert {k.name for k in EVENT_KEYS if k.table == ""} == KNOWN_KEYS - {"clips"}
    assert {k.name for k in EVENT_KEYS if k.table == "clips"} == CLIP_KEYS


# ----------------------------------------- troubleshooting from the real messages


def _listed(output: str) -> list[str]:
    return [
        re.sub(r"^\s+\d+\. ", "", line)
        for line in output.splitlines()
        if re.match(r"\s+\d+\. ", line)
    ]


def _error(output: str) -> str:
    line = [line for line in output.splitlines() if ": " in line][-1]
    return line.split(": ", 1)[1]  # without the "error:" prefix (translated elsewhere)


def real_messages(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str, str]]:
    """(situation, message as printed, what to do) for the problems staff meet most."""
    from clipper.archive.project import settings_template
    from clipper.files.retry import replace_retrying
    from clipper.site.pathlimit import check_path_lengths

    found: list[tuple[str, str, str]] = []
    project = tmp_path / "archiv"
    make_project(project, source, slug="sitzung")
    (project / "clipper.toml").write_text(settings_template(), encoding="utf-8")
    monkeypatch.chdir(project)
    legal = _listed(run("publish").output)
    found.append(
        (
            "Pflichtangaben fehlen",
            legal[0],
            "`clipper.toml` öffnen und die Werte mit „BITTE AUSFÜLLEN“ ersetzen.",
        )
    )
    complete_settings(project)
    toml = project / "recordings" / "sitzung" / "event.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r"date = (\S+)", r'date = "\1"', text), encoding="utf-8")
    found.append(
        (
            "Datum nicht bestätigt",
            _listed(run("publish").output)[0],
            "Das Datum prüfen und ohne Anführungszeichen schreiben: `date = 2026-05-17`.",
        )
    )
    toml.write_text(text, encoding="utf-8")
    vtt = project / "transcripts" / "sitzung.de.vtt"
    keep = vtt.read_text(encoding="utf-8")
    vtt.write_text("WEBVTT\n\n00:00:00.500 --> 00:01:59.000\nText.\n", encoding="utf-8")
    found.append(
        (
            "Falsches Transkript",
            _listed(run("publish").output)[0],
            "Das Transkript zu genau dieser Aufzeichnung verwenden.",
        )
    )
    vtt.write_text(keep, encoding="utf-8")
    toml.write_text(
        text + '\n[original]\nsha256 = "0"\nsize = 1\ndescription = "Neu"\n', encoding="utf-8"
    )
    found.append(
        (
            "Zeile unter [original]",
            _error(run("check").output),
            "Die genannte Zeile ausschneiden und über `[original]` einfügen.",
        )
    )
    toml.write_text(text, encoding="utf-8")

    def busy(src: object, dst: object) -> None:
        raise PermissionError(13, "Zugriff verweigert")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", busy)
        try:
            replace_retrying("site/index.html.neu", "site/index.html", wait=0)
        except Exception as exc:
            found.append(
                (
                    "Datei in Benutzung (Windows)",
                    str(exc),
                    "Das genannte Programm schließen und den Befehl wiederholen.",
                )
            )
    try:
        check_path_lengths(["C:\\" + "Ordner\\" * 40 + "index.html"])
    except Exception as exc:
        found.append(
            (
                "Pfad zu lang (Windows)",
                str(exc),
                "Die Website in einen kürzeren Ordner veröffentlichen: `--out C:\\Web\\site`.",
            )
        )
    return found


def troubleshooting(found: list[tuple[str, str, str]]) -> str:
    lines = [START]
    for situation, message, todo in found:
        lines += ["", f"**{situation}**", "", "```text", message, "```", "", todo]
    return "\n".join([*lines, "", END])


@pytest.mark.usefixtures("german")
def test_the_troubleshooting_section_quotes_the_real_messages(
    tmp_path: Path, h264_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = real_messages(tmp_path, h264_source, monkeypatch)
    assert len(found) == 6
    assert "Herausgeber" in found[0][1] and "Anführungszeichen" in found[1][1]  # German
    guide = DOCS / "anleitung.md"
    text = guide.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    _check(guide, text[:start] + troubleshooting(found) + text[end:])


def test_the_guide_uses_powershell_and_shows_real_screenshots() -> None:
    text = (DOCS / "anleitung.md").read_text(encoding="utf-8")
    fences = re.findall(r"^```(\w*)", text, re.M)
    assert fences.count("powershell") >= 5
    assert "```bash" not in text and "```sh" not in text
    images = re.findall(r"\]\((img/[^)]+\.png)\)", text)
    assert len(images) >= 3
    for image in images:
        assert (DOCS / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shutil.which  # the screenshots are made by scripts/screenshots.py
