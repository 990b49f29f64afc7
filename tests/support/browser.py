"""A real browser for the tests and benchmarks: Debian's Chromium driven by Playwright, and
axe-core (from npm, see checkers.py) run inside its pages."""

import contextlib
import os
import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    """Debian's Chromium, or None when it is not installed."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


@contextlib.contextmanager
def chromium(**context_options):
    """Yields a new page of a headless Chromium (context_options go to Playwright's new_context)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(**context_options).new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def axe_violations(page, axe_script):
    """axe-core's violations on the page as it stands: [{id, impact, help, nodes: [{target, ...}]}]."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_script)
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
