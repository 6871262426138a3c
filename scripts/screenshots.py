"""Screenshots of the published demo for docs/anleitung.md, made by the test browser.

Builds the demo in a temporary folder (one minute of it), publishes it as it goes public
and as a draft, and photographs the pages with Debian's Chromium (as the browser tests
do). Run: PYTHONPATH=. .venv/bin/python scripts/screenshots.py  (writes docs/img/*.png)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, chromium_path, served  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from clipper.demo import create_demo_event  # noqa: E402
from clipper.demo.script import SLUG  # noqa: E402
from clipper.site.build import publish  # noqa: E402

SHOTS = [
    ("site", "index.html", "startseite.png", 1100),
    ("site", f"events/{SLUG}/index.html", "veranstaltung.png", 1100),
    ("draft", "index.html", "entwurf.png", 1100),
    ("site", f"events/{SLUG}/index.html", "handy.png", 390),
]


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        create_demo_event(project, seconds_limit=60)
        sites = {
            "site": publish(project, preflight=True).out_dir,
            "draft": publish(project, project / "entwurf", preflight=True, draft=True).out_dir,
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
            )
            for kind, path, name, width in SHOTS:
                with served(sites[kind]) as url:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(f"{url}/{path}")
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(out / name))
                    page.close()
                    print(out / name)
            browser.close()


if __name__ == "__main__":
    main()
