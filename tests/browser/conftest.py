"""Playwright drives Debian's Chromium (Playwright's own browser download does not work on
these machines). Without /usr/bin/chromium the browser tests skip, unless REQUIRE_BROWSER=1
(set by .ci/run, which installs the package), where they fail instead."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop; Django refuses ORM calls from a thread with
    # a running loop unless told this is deliberate (tests only).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def console(page):
    """Console messages and uncaught errors of the page; the test fails on a CSP violation
    (Chromium logs each one as a console error naming the Content Security Policy) or on
    any uncaught script error."""
    messages: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield messages
    violations = [m for m in messages if "Content Security Policy" in m]
    assert not violations, violations
    assert not errors, errors


def log_in(page, base: str, username: str) -> None:
    """Log in through the real form (factories give every user the password below)."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("main button[type=submit]")
    page.wait_for_url("**/quizzes/")
