"""An editor opens real fact and template change pages, edits a field and clicks the real
"Preview unsaved changes" button: the preview shows the edit, nothing is saved, and the
browser console stays clean. When the preview request fails, the page says so."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from content.bank_files import files_to_db
from content.models import Fact, QuestionTemplate
from content.signals import EDITORS_GROUP, ensure_editors_group
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor_page(live_server, page, settings):
    """A page logged into the admin as a content editor, with a list collecting every
    console error and uncaught exception."""
    files_to_db(settings.CONTENT_BANK_DIR)
    ensure_editors_group()
    editor = UserFactory(username="meera", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    problems: list[str] = []

    def on_console(msg) -> None:
        url = msg.location.get("url", "")
        # Chromium asks every site for /favicon.ico on its own; the app has none.
        if msg.type in ("error", "warning") and not url.endswith("/favicon.ico"):
            problems.append(f"console.{msg.type}: {msg.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "meera")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page, problems


def _preview_after_click(page) -> str:
    before = page.locator("#question-preview").inner_text()
    assert "Preview of unsaved changes" not in before
    page.get_by_role("button", name="Preview unsaved changes").click()
    page.locator("#question-preview", has_text="Preview of unsaved changes").wait_for()
    return page.locator("#question-preview").inner_text()


def test_the_fact_page_previews_an_unsaved_edit(editor_page, live_server):
    page, problems = editor_page
    fact = Fact.objects.get(slug="agreement-lemoa")
    page.goto(f"{live_server.url}/admin/content/fact/{fact.pk}/change/")
    assert "LEMOA" in page.locator("#question-preview").inner_text()

    page.fill("#id_value__name", "ZEPHYRA")
    after = _preview_after_click(page)

    assert "ZEPHYRA" in after
    assert not page.locator("#question-preview-error").is_visible()
    fact.refresh_from_db()
    assert fact.values["name"] == "LEMOA"
    assert problems == []


def test_the_template_page_previews_an_unsaved_edit(editor_page, live_server):
    page, problems = editor_page
    template = QuestionTemplate.objects.get(slug="agreement-year")
    page.goto(f"{live_server.url}/admin/content/questiontemplate/{template.pk}/change/")
    stem = template.stem

    page.fill("#id_stem", "Zephyra check: in which year was the {name} concluded?")
    after = _preview_after_click(page)

    assert re.search(r"Zephyra check: in which year was the .+ concluded\?", after)
    assert not page.locator("#question-preview-error").is_visible()
    template.refresh_from_db()
    assert template.stem == stem
    assert problems == []


def test_a_failed_preview_shows_a_visible_error(editor_page, live_server):
    page, problems = editor_page
    template = QuestionTemplate.objects.get(slug="agreement-year")
    page.goto(f"{live_server.url}/admin/content/questiontemplate/{template.pk}/change/")
    error = page.locator("#question-preview-error")
    assert not error.is_visible()
    button = page.get_by_role("button", name="Preview unsaved changes")

    page.route("**/preview/", lambda route: route.fulfill(status=500, body="boom"))
    button.click()
    error.wait_for(state="visible")
    assert "server answered with an error (500" in error.inner_text()

    page.unroute("**/preview/")
    page.route("**/preview/", lambda route: route.abort("connectionfailed"))
    button.click()
    page.locator("#question-preview-error", has_text="could not be reached").wait_for()

    # A preview that works again clears the message.
    page.unroute("**/preview/")
    button.click()
    page.locator("#question-preview", has_text="Preview of unsaved changes").wait_for()
    assert not error.is_visible()
    # The failures themselves log network errors; no script may have crashed.
    assert [p for p in problems if p.startswith("uncaught")] == []
