"""The package's shape, checked on every run: arrows go one way, modules stay small,
nothing in the package exists only for tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from import_graph import cycles, graph

PACKAGE = Path(__file__).resolve().parent.parent / "clipper"

# Lower layers never import higher ones (imports inside functions count; only
# `if TYPE_CHECKING:` imports, which never run, may point anywhere).
LAYERS: list[set[str]] = [
    {"errors", "timecode", "progress", "i18n"},
    {"files"},
    {"subtitles", "media", "ranges", "transcribe"},
    {"cutting"},
    {"settings", "archive"},
    {"site", "demo"},
    {"workflows", "doctor"},
    {"cli", "__main__", "__init__"},
]
MAX_LINES = 400


def _layer(top: str) -> int:
    for number, names in enumerate(LAYERS):
        if top in names:
            return number
    raise AssertionError(f"clipper/{top} belongs to no layer: add it to LAYERS in this test")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _top(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level clipper part) of every import that can run."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: use absolute imports (line {node.lineno})")
        for name in names:
            parts = name.split(".")
            if parts[0] == "clipper" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def test_imports_point_down_the_layers_only() -> None:
    wrong = []
    for path in _modules():
        here = _layer(_top(path))
        for line, target in _imports(path):
            if target.startswith("__") or (target not in {n for s in LAYERS for n in s}):
                continue  # `from clipper import __version__`: a name, not a module
            if _layer(target) > here:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports clipper.{target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(set(wrong)))


def test_no_import_cycles_between_modules() -> None:
    assert cycles(graph(PACKAGE)) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines: split it by idea"


def test_nothing_in_the_package_exists_only_for_tests() -> None:
    offenders = [
        str(p.relative_to(PACKAGE.parent))
        for p in _modules()
        if "CLIPPER_TEST" in p.read_text(encoding="utf-8") or "testhook" in p.name
    ]
    assert offenders == []
