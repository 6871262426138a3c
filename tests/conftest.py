from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

from media import SourceSpec, make_source

# The same examples on every run, and no deadline: a property test must not pass or fail
# by chance or by how busy the machine is (CLIPPER_HYPOTHESIS=explore searches afresh).
settings.register_profile(
    "repeatable",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("CLIPPER_HYPOTHESIS", "repeatable"))

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def source_factory(media_dir: Path):
    """Make (once per session) a generated recording for a SourceSpec."""
    made: dict[SourceSpec, Path] = {}

    def make(spec: SourceSpec) -> Path:
        if spec not in made:
            name = f"src-{len(made)}{spec.suffix}"
            made[spec] = make_source(media_dir / name, spec)
        return made[spec]

    return make


@pytest.fixture(scope="session")
def h264_source(source_factory) -> Path:
    return source_factory(SourceSpec())


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium, shared by the browser tests of a session."""
    from browser import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _own_cache_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """clipper's per-user cache (remembered damage verdicts) in a folder of the test run,
    never the home folder; shared by the tests of one worker, as by one user's commands."""
    monkeypatch.setenv("CLIPPER_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "user-cache"))


@pytest.fixture(autouse=True)
def english_messages(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """The tests written before clipper spoke German assert its English messages: they run
    with CLIPPER_LANG=en. Tests marked `german` (tests/test_i18n.py) see the default."""
    from clipper import i18n

    if request.node.get_closest_marker("german") is None:
        monkeypatch.setenv("CLIPPER_LANG", "en")
    else:
        monkeypatch.delenv("CLIPPER_LANG", raising=False)
    yield
    i18n.set_language(None)
