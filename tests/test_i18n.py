"""German first: the catalog is complete and current, and the commands speak German by
default whatever the system locale says; English with CLIPPER_LANG=en or `language = "en"`
in clipper.toml (the variable wins)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from clirun import run
from test_publish import make_project

import clipper
from clipper import i18n

pytestmark = pytest.mark.german

ROOT = Path(__file__).parent.parent
LOCALE = Path(clipper.__file__).parent / "locale"
PO = LOCALE / "de" / "LC_MESSAGES" / "clipper.po"
MO = LOCALE / "de" / "LC_MESSAGES" / "clipper.mo"

# Common English words that must not appear in German output (outside of paths, names,
# commands and options, which are removed before the check). Words that are German too
# ("in", "Name", "Start", "Text", "Clip") are not listed.
ENGLISH = {
    "the",
    "and",
    "or",
    "error",
    "warning",
    "note",
    "file",
    "files",
    "folder",
    "not",
    "with",
    "without",
    "is",
    "are",
    "were",
    "of",
    "to",
    "for",
    "from",
    "this",
    "that",
    "it",
    "has",
    "have",
    "no",
    "only",
    "each",
    "every",
    "usage",
    "options",
    "commands",
    "arguments",
    "show",
    "message",
    "exit",
    "missing",
    "such",
    "command",
    "default",
    "required",
    "try",
    "help",
    "pieces",
    "piece",
    "gop",
    "gops",
    "idr",
    "frames",
    "frame",
    "cut",
    "cues",
    "cue",
    "wrote",
    "would",
    "be",
    "long",
    "range",
    "ranges",
    "recording",
    "keyframes",
    "duration",
    "streams",
    "audio",
    "check",
    "checking",
    "found",
    "published",
    "events",
    "event",
    "subtitles",
    "transcript",
    "intact",
    "changed",
    "none",
    "yes",
    "copy",
    "copied",
    "encoded",
    "re-encoded",
    "mode",
    "source",
    "path",
}
ENVIRONMENTS = [
    {"LANG": "C"},
    {"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"},
    {"LANGUAGE": "en", "LANG": "en_GB.UTF-8"},
]


def english_words(output: str, *, names: tuple[str, ...] = ()) -> list[str]:
    """The listed English words in `output`, after removing what stays as it is: paths and
    file names, `--options`, command lines after "clipper", and the given names."""
    text = output
    for name in names:
        text = text.replace(name, " ")
    text = re.sub(r"`[^`]*`", " ", text)  # quoted commands and keys
    text = re.sub(r"│\s+[a-z][a-z-]*\s", "│ ", text)  # a command's name in the Commands panel
    text = re.sub(r"(clipper|root)( [a-z-]+)*", " ", text)  # command names (root: the test runner)
    text = re.sub(r"--?[a-z][a-z-]*", " ", text)  # option names
    text = re.sub(r"\S*[/\\]\S*|\S+\.(vtt|srt|mp4|webm|toml|csv|ranges)\b", " ", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|„[^“]*“|\[[a-z_]+\]|\w+ = ", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z-]*", text)
    return sorted({w for w in words if w.lower() in ENGLISH})


def flat(output: str) -> str:
    """Help output without its boxes and line breaks, to find sentences Rich wrapped."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def catalog() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f)


def extracted() -> Catalog:
    """What `make messages` extracts from the package now (pybabel, with babel.cfg)."""
    pot = ROOT / "build-test-clipper.pot"
    try:
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
             "-k", "N_", "-k", "ngettext:1,2", "--no-location", "-o", str(pot), "."],
            cwd=ROOT, check=True, capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        with pot.open("rb") as f:
            return read_po(f)
    finally:
        pot.unlink(missing_ok=True)


def placeholders(text: str) -> list[str]:
    return sorted(
        re.findall(r"\{[^{}]*\}|%\([a-z_]+\)[sd]", text.replace("{{", "").replace("}}", ""))
    )


def test_every_extracted_text_has_a_german_translation() -> None:
    german = catalog()
    found = extracted()
    assert len(found) > 500  # the extraction itself worked
    assert found.get(
        "Join the ranges of SOURCE, in the order given, into one clip "
        "(frame-accurate unless\n--mode keyframe)."
    )  # command help: docstrings
    missing = []
    for message in found:
        if not message.id:
            continue
        entry = german.get(message.id)
        strings = (
            []
            if entry is None
            else [entry.string]
            if isinstance(entry.string, str)
            else list(entry.string)
        )
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(message.id)
    assert not missing, f"{len(missing)} texts without German translation: {missing[:10]}"


def test_placeholders_are_kept_in_every_translation() -> None:
    wrong = []
    for message in catalog():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for msgid, msgstr in zip(ids, strings, strict=False):
            if placeholders(msgid) != placeholders(msgstr):
                wrong.append((msgid, msgstr))
    assert not wrong, wrong[:5]


def test_committed_mo_is_the_compiled_po(tmp_path: Path) -> None:
    compiled = tmp_path / "clipper.mo"
    with compiled.open("wb") as f:
        write_mo(f, catalog())
    assert compiled.read_bytes() == MO.read_bytes(), "run `make messages` and commit the .mo"


def test_the_mo_ships_in_the_wheel() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*/LC_MESSAGES/*.mo"' in text


def test_typer_still_shows_the_texts_clipper_translates() -> None:
    """cli/lang.py matches Typer's fixed English; an upgrade that changes it must be noticed."""
    import typer

    source = "".join(
        p.read_text(encoding="utf-8") for p in Path(typer.__file__).parent.rglob("*.py")
    )
    fixed_texts = [
        '"Usage: "',
        "Missing {param_type}",
        "No such option: ",
        "Got unexpected extra argument(s)",
        "Show this message and exit.",
        '"an argument."',
        "requires {msg}",
        "Did you mean",
        "Choose from:",
    ]
    for fixed in fixed_texts:
        assert fixed in source, fixed


# --- the commands, in German whatever the system locale ---------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, h264_source: Path) -> Path:
    root = tmp_path_factory.mktemp("projekt")
    make_project(root, h264_source)
    (root / "clipper.toml").write_text(
        '[site]\ntitle = "Stadt Musterhausen"\nimprint_url = "https://example.de/impressum"\n'
        '[accessibility]\ncontact_email = "barrierefreiheit@example.de"\n',
        encoding="utf-8",
    )
    (root / "clip.ranges").write_text("0:00.5 - 0:02 Begrüßung\n0:03 - 0:04.5\n", "utf-8")
    return root


def commands(project: Path) -> list[list[str]]:
    event = project / "recordings" / "foerderung"
    vtt = project / "transcripts" / "foerderung.de.vtt"
    recording = event / "aufzeichnung.mp4"
    return [
        ["probe", str(recording)],
        ["cut", str(recording), "-r", str(project / "clip.ranges"), "-o", "x.mp4", "--dry-run"],
        ["ranges", "check", str(project / "clip.ranges"), "--source", str(recording)],
        ["ranges", "check", str(event)],
        ["transcript", str(vtt)],
        ["subtitles", "check", str(vtt)],
        ["list", "-p", str(project)],
        ["verify", "-p", str(project)],
        ["publish", "-p", str(project)],
        ["cut", str(project / "nichts.mp4"), "-o", "x.mp4", "--range", "0:01-0:02"],  # error
        ["cut", str(recording)],  # a usage error of Click/Typer
        ["nope"],
        ["--help"],
    ]


def help_commands() -> list[list[str]]:
    import typer.main

    from clipper.cli import app

    group = typer.main.get_command(app)
    found = [["--help"]]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        found.append([name, "--help"])
        for sub in getattr(command, "commands", {}):
            found.append([name, sub, "--help"])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=lambda e: e.get("LANG", ""))
def test_commands_speak_german_whatever_the_locale(
    project: Path, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(project)
    for args in commands(project) + help_commands():
        output = run(*args).output
        found = english_words(output, names=(str(project), "Förderbescheid für das Labor"))
        assert not found, f"clipper {' '.join(args)}: English {found}:\n{output}"


def test_a_real_process_speaks_german_with_an_english_locale(tmp_path: Path) -> None:
    env = {**os.environ, "LANG": "en_US.UTF-8", "LANGUAGE": "en", "COLUMNS": "100"}
    env.pop("CLIPPER_LANG", None)
    done = subprocess.run(
        [sys.executable, "-m", "clipper", "probe", str(tmp_path / "fehlt.mp4")],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("Fehler: "), done.stderr
    assert "Datei nicht gefunden" in done.stderr


def test_clipper_lang_en_gives_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIPPER_LANG", "en")
    result = run("probe", tmp_path / "missing.mp4")
    assert result.output.startswith("error: ") and "file not found" in result.output
    result = run("cut", "--help")
    assert "Usage:" in result.output and "Show this message and exit." in flat(result.output)
    assert "<bool>" not in result.output


def test_help_is_german_and_has_no_engineering_metavars() -> None:
    result = run("cut", "--help")
    assert "Aufruf:" in result.output and "Optionen" in result.output
    assert "Diese Hilfe anzeigen und beenden." in flat(result.output)
    for shown in ("<bool>", "<path>", "<int>", "<str>", "INTEGER"):
        assert shown not in result.output


def test_click_usage_errors_are_german() -> None:
    result = run("cut", "a.mp4")
    assert result.exit_code == 2
    assert "Es fehlt die Option '--output'" in result.output
    assert "Fehler" in result.output
    result = run("cutt")
    assert "Den Befehl 'cutt' gibt es nicht" in result.output and "Meinten Sie" in result.output


def test_language_in_clipper_toml_and_the_variable_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clipper.toml").write_text('language = "en"\n', encoding="utf-8")
    result = run("publish", "-p", tmp_path)
    assert result.output.startswith("error: ") and "no recordings folder" in result.output
    monkeypatch.setenv("CLIPPER_LANG", "de")
    result = run("publish", "-p", tmp_path)
    assert result.output.startswith("Fehler: ") and "kein Ordner recordings" in result.output


def test_the_language_setting_is_checked(tmp_path: Path) -> None:
    (tmp_path / "clipper.toml").write_text('language = "fr"\n', encoding="utf-8")
    result = run("publish", "-p", tmp_path)
    assert result.exit_code == 1 and result.output.startswith("Fehler: ")
    assert "language" in result.output


def test_current_language_ignores_the_system_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert i18n.current_language() == "de"
    monkeypatch.setenv("CLIPPER_LANG", "EN_us")
    assert i18n.current_language() == "en"


def test_no_wrapped_text_is_an_fstring() -> None:
    """`_(f"...")` would look up the already filled-in text, which is never in the catalog."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "clipper").rglob("*.py")
        if re.search(r"\b_\(\s*f[\"']", p.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_no_function_hides_the_translation_function() -> None:
    """`key, _, value = ...` in a function that also calls `_()` makes `_` a local string
    there, and the message fails at run time ("'str' object is not callable")."""
    import ast

    offenders = []
    for path in (ROOT / "clipper").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            names = [
                n
                for n in ast.walk(node)
                if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
            ]
            calls = [
                n
                for n in ast.walk(node)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
            ]
            if names and calls:
                offenders.append(f"{path.relative_to(ROOT)}:{names[0].lineno}")
    assert not offenders


# --- plain German plans; the engineering view with --details -----------------------------


def test_duration_text_reads_like_staff_speak_it() -> None:
    from clipper.cutting.summary import duration_text

    assert [duration_text(ms) for ms in (400, 1500, 12_000, 59_600, 288_000, 3_725_000)] == [
        "0,4 s",
        "1,5 s",
        "12 s",
        "1:00 min",
        "4:48 min",
        "1:02:05 min",
    ]


def test_cut_plan_is_plain_german_and_details_shows_the_engineering_view(
    tmp_path: Path, h264_source: Path
) -> None:
    """The summary's numbers are the plan's: parts, clip length, and the re-encoded time
    (the encode spans of the smart plan), which `--details` lists."""
    from clipper.cutting.summary import encoded_ms
    from clipper.workflows import plan_cut

    args = ["--range", "0:01-0:05,52", "--range", "0:06,5-0:07", "-o", tmp_path / "c.mp4"]
    plan = plan_cut(
        h264_source, tmp_path / "c.mp4", range_texts=["0:01-0:05,52", "0:06,5-0:07"]
    ).plan
    encoded = encoded_ms(plan)
    assert 0 < encoded < plan.frame_plan.duration_ms  # a smart cut: some copied, some not
    plain = run("cut", h264_source, *args, "--dry-run")
    assert plain.exit_code == 0, plain.output
    first = plain.output.splitlines()[0]
    assert first.startswith(f"Plan für {h264_source.name}: 2 Abschnitte, ")
    seconds = f"{encoded / 1000:.1f}".replace(".", ",").removesuffix(",0")
    assert first.endswith(f"{seconds} s werden neu berechnet"), first
    for engineering in ("GOP", "IDR", "encode", "copy", "Stücke", "Schlüsselbild"):
        assert engineering not in plain.output
    detailed = run("cut", h264_source, *args, "--dry-run", "--details")
    spans = [line.split()[0] for line in detailed.output.splitlines() if "-> Clip" in line]
    assert "encode" in spans and "copy" in spans
    assert "(2 Stücke, Schnitt smart)" in detailed.output


def test_probe_is_plain_by_default(h264_source: Path) -> None:
    plain = run("probe", h264_source)
    assert plain.exit_code == 0, plain.output
    assert "Länge:" in plain.output and "Bilder pro Sekunde" in plain.output
    assert "Schlüsselbilder" not in plain.output and "yuv" not in plain.output
    detailed = run("probe", h264_source, "--details")
    assert "Schlüsselbilder:" in detailed.output and "h264" in detailed.output
