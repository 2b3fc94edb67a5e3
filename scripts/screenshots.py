"""Capture every page of the app at desktop and phone width into docs/screenshots/.

Starts the app on a fresh SQLite database filled by `python -m readiness demo`, completes an
assessment as a candidate, signs in as the demo counselor and the demo instructor, saves one
viewport-sized PNG per page and width, and stops the server.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS, launch_app_server  # noqa: E402
from tests.test_browser import (  # noqa: E402
    answer_step,
    button,
    nav,
    next_step,
    settle,
    sign_in,
    start_assessment,
    step_number,
)

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def capture(page: Page, out: Path, name: str) -> list[Path]:
    paths = []
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        settle(page)
        page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
        path = out / f"{name}-{label}.png"
        page.screenshot(path=str(path))
        paths.append(path)
    page.set_viewport_size(WIDTHS["desktop"])
    settle(page)
    return paths


def demo(database_url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "demo", "--candidates", "40", "--seed", "1"],
        cwd=REPO_ROOT,
        env={**os.environ, "READINESS_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"error: {CHROMIUM} is not installed", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        database_url = f"sqlite:///{Path(work) / 'demo.sqlite3'}"
        # A copy of the content, so the studio shows a neutral content-root path.
        content_root = Path(work) / "content"
        for folder in ("assessments", "data"):
            shutil.copytree(REPO_ROOT / folder, content_root / folder)
        printed = demo(database_url)
        counselor = re.search(r"counselor\s+(\S+)\s+password: (\S+)", printed).groups()
        instructor = re.search(r"instructor\s+(\S+)\s+password: (\S+)", printed).groups()
        server = launch_app_server(
            Path(work),
            env={
                "READINESS_DATABASE_URL": database_url,
                "READINESS_CONTENT_DIR": str(content_root),
            },
        )
        saved: list[Path] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport=WIDTHS["desktop"])
                # The first session of a fresh server runs in Streamlit's old multipage mode.
                page.goto(server.url)
                page.wait_for_timeout(3000)

                start_assessment(page, server)
                saved += capture(page, args.out, "assessment")
                while True:
                    current, total = step_number(page)
                    answer_step(page)
                    next_step(page)
                    if current == total:
                        break
                saved += capture(page, args.out, "results")
                nav(page, "Start", "How ready are you")
                saved += capture(page, args.out, "start")

                page.context.clear_cookies()
                page.goto("about:blank")
                page.goto(f"{server.url}/sign_in")
                page.get_by_text("Staff sign-in").first.wait_for()
                settle(page)
                saved += capture(page, args.out, "sign-in")
                sign_in(page, server, *counselor)
                nav(page, "Cohorts", "Share code for candidates")
                saved += capture(page, args.out, "cohorts")
                page.get_by_role("tab", name="Cohort gaps").click()
                page.locator(
                    '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
                ).first.wait_for()
                settle(page)
                saved += capture(page, args.out, "cohort-gaps")
                page.get_by_role("tab", name="Review").click()
                button(page, "Open").click()
                page.get_by_text("shared on").first.wait_for()
                saved += capture(page, args.out, "candidate")

                page.goto("about:blank")
                sign_in(page, server, *instructor)
                nav(page, "Content studio", "Content studio")
                saved += capture(page, args.out, "studio")
                browser.close()
        finally:
            server.stop()
    total = sum(path.stat().st_size for path in saved)
    for path in saved:
        shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
        print(f"{shown}  {path.stat().st_size / 1024:.0f} KB")
    print(f"{len(saved)} screenshots, {total / 1024 / 1024:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
