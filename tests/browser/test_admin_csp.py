"""The editors' admin works under the Content-Security-Policy: Chromium reports no violation
and no script error on Django's admin pages (lists, add and change forms with their widgets,
history, password change), the same policy the student pages run under."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from content.bank_files import files_to_db
from quiz.models import Quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_urls() -> list[tuple[str, str]]:
    urls = [("index", reverse("admin:index")), ("password", reverse("admin:password_change"))]
    for model in admin.site._registry:
        meta = model._meta
        name = f"{meta.app_label}_{meta.model_name}"
        urls.append((f"{name} list", reverse(f"admin:{name}_changelist")))
        urls.append((f"{name} add", reverse(f"admin:{name}_add")))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append((f"{name} change", reverse(f"admin:{name}_change", args=[first.pk])))
            urls.append((f"{name} history", reverse(f"admin:{name}_history", args=[first.pk])))
    return urls


@pytest.fixture
def admin_page(live_server, page, settings):
    files_to_db(settings.CONTENT_BANK_DIR)
    Quiz.objects.get_or_create(slug="admin-browse", defaults={"title": "Admin browse"})
    UserFactory(username="root", is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def _violations(page, url: str) -> list[str]:
    found: list[str] = []
    on_console = lambda m: "Content Security Policy" in m.text and found.append(m.text)  # noqa: E731
    on_error = lambda e: found.append(f"script error: {e}")  # noqa: E731
    page.on("console", on_console)
    page.on("pageerror", on_error)
    try:
        response = page.goto(url)
        assert response is not None, url
        if response.status == 403:  # e.g. a model nobody may add by hand: no page to check
            return []
        assert response.status < 400, (url, response.status)
        page.wait_for_load_state("load")
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)
    return found


EDITOR_PREVIEWS = (
    "content_fact change",
    "content_questiontemplate change",
    "content_questiontemplate add",
)


def test_djangos_admin_pages_run_under_the_policy(live_server, admin_page):
    problems = {}
    for name, url in _admin_urls():
        if name in EDITOR_PREVIEWS:
            continue  # below, one test each
        found = _violations(admin_page, f"{live_server.url}{url}")
        if found:
            problems[name] = found
    assert not problems, problems


@pytest.mark.parametrize("name", EDITOR_PREVIEWS)
def test_the_editors_preview_pages_run_under_the_policy(live_server, admin_page, name):
    url = dict(_admin_urls())[name]
    assert not _violations(admin_page, f"{live_server.url}{url}")


def test_the_one_hashed_style_attribute_is_exactly_simple_historys(live_server, page):
    """django-simple-history's history list renders one style attribute on every history
    page; the policy allows that exact value by hash, and no other."""
    import re
    from pathlib import Path

    import simple_history

    template = Path(simple_history.__file__).parent / "templates/simple_history"
    markup = (template / "object_history_list.html").read_text()
    value = re.search(r'<p class="paginator" style="([^"]*)"', markup).group(1)
    policy = page.request.get(f"{live_server.url}/").headers["content-security-policy"]

    def serve(route):
        body = f'<p id="allowed" style="{value}">a</p><p id="other" style="color: red">b</p>'
        headers = {"Content-Type": "text/html", "Content-Security-Policy": policy}
        route.fulfill(status=200, headers=headers, body=body)

    found: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and found.append(m.text))
    page.route("**/csp-probe", serve)
    page.goto(f"{live_server.url}/csp-probe")
    assert page.locator("#allowed").evaluate("e => getComputedStyle(e).borderTopWidth") == "0px"
    assert page.locator("#other").evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
    assert len(found) == 1, found  # only the other one was refused
