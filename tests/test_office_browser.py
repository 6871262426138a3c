"""The demo passes the preflight, and its draft in Debian's Chromium: the Entwurf banner
is visible on every page, search engines are told not to index it, axe finds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import served

from clipper.demo import create_demo_event
from clipper.site.build import PublishResult, publish
from clipper.site.preflight_run import check_project

pytestmark = pytest.mark.slow

PAGES = ["index.html", "events/verwaltungsrebellen-labor/index.html", "barrierefreiheit.html"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-draft")
    create_demo_event(root, seconds_limit=20)
    return root


@pytest.fixture(scope="module")
def draft(project: Path) -> PublishResult:
    return publish(project, preflight=True, draft=True)


@pytest.fixture(scope="module")
def site_url(draft: PublishResult) -> Iterator[str]:
    with served(draft.out_dir) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_the_demo_passes_the_preflight(project: Path) -> None:
    report = check_project(project)
    assert report.problems == [] and report.warnings == []
    settings = (project / "clipper.toml").read_text(encoding="utf-8")
    assert "erfundene Stadt" in settings  # the example legal settings are marked fictional


def test_every_draft_page_has_the_pages_listed_here(draft: PublishResult) -> None:
    written = {str(p.relative_to(draft.out_dir)) for p in draft.out_dir.rglob("*.html")}
    assert set(PAGES) <= written


@pytest.mark.parametrize("path", PAGES)
def test_the_draft_banner_is_visible_and_axe_finds_nothing(
    page: Any, site_url: str, path: str
) -> None:
    page.goto(f"{site_url}/{path}")
    banner = page.locator(".draft-banner")
    assert banner.count() == 1 and banner.is_visible()
    assert banner.inner_text().startswith("Entwurf")
    box = banner.bounding_box()
    assert box is not None and box["y"] < 200 and box["height"] > 20  # at the top, readable
    robots = page.locator('meta[name="robots"]').get_attribute("content")
    assert robots == "noindex"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
