"""Content-Security-Policy: on every kind of response (page, htmx fragment, error pages,
admin), strict ('none' by default, scripts and styles from our own origin only), and no page
of ours needs anything inline. The browser tests check that Chromium reports no violation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt
from tests.factories import UserFactory, start_attempt

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.request}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(response) -> None:
    policy = _policy(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    # style attributes: only the one hashed value django-simple-history's template needs
    assert policy["style-src-attr"][0] == "'unsafe-hashes'"
    assert all(v.startswith("'sha256-") for v in policy["style-src-attr"][1:])
    for values in policy.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values
        assert not any(v.startswith(("http:", "https:", "*")) for v in values)


@pytest.fixture
def drill(student, clock):
    return start_attempt(student, timezone.now(), n=3)


def test_a_full_page_has_the_policy(client):
    _assert_strict(client.get(reverse("home")))
    _assert_strict(client.get(reverse("login")))


def test_an_htmx_fragment_has_the_policy(client, student, drill):
    client.force_login(student)
    question = drill.current_question(timezone.now())
    response = client.post(
        reverse("quiz:answer", args=[drill.pk]),
        {"question": 1, "choice": question.correct_token},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Question 2 of 3" in response.content.decode()
    _assert_strict(response)


def test_error_pages_have_the_policy(client, student, drill, monkeypatch):
    assert client.get("/no-such-page/").status_code == 404
    _assert_strict(client.get("/no-such-page/"))
    client.force_login(student)
    bad = client.post(reverse("quiz:answer", args=[drill.pk]), {"question": "²"})
    assert bad.status_code == 400
    _assert_strict(bad)

    from quiz.views import dashboard

    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(dashboard.TopicProgress.objects, "filter", boom)
    crashing = Client(raise_request_exception=False)
    crashing.force_login(student)
    response = crashing.get(reverse("quiz:dashboard"))
    assert response.status_code == 500
    _assert_strict(response)


def test_admin_pages_have_the_policy(client):
    _assert_strict(client.get(reverse("admin:login")))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    _assert_strict(client.get(reverse("admin:index")))
    _assert_strict(client.get(reverse("admin:quiz_quiz_changelist")))


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\shx-on", re.I), "hx-on (needs eval)"),
]


def _assert_nothing_inline(url: str, html: str) -> None:
    for pattern, what in INLINE:
        match = pattern.search(html)
        assert match is None, (
            f"{url}: {what}: {html[max(0, match.start() - 80) : match.end() + 80]}"
        )


def test_no_student_page_needs_inline_script_or_style(client, student, clock):
    now = timezone.now()
    drill = start_attempt(student, now, n=3)
    paper = start_attempt(student, now, n=3, timing="paper", paper_minutes=30)
    waiting = start_attempt(student, now, n=3, timing="paper", begin=False)
    practice = start_attempt(student, now, n=3, mode="practice")
    practice.answer(Attempt.Intent.SAVE, 1, practice.current_question(now).correct_token, now)
    finished = start_attempt(student, now, n=2)
    finished.finish(now)
    from tests.factories import QuizFactory

    live = QuizFactory(
        slug="closed-live",
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now - dt.timedelta(hours=1),
    )
    anonymous = [reverse("home"), reverse("login"), reverse("signup"), reverse("password_reset")]
    for url in anonymous:
        _assert_nothing_inline(url, client.get(url).content.decode())
    client.force_login(student)
    pages = [
        reverse("quiz:catalogue"),
        reverse("quiz:dashboard"),
        reverse("quiz:ranks", args=[live.slug]),
        reverse("quiz:attempt", args=[drill.pk]),
        reverse("quiz:attempt", args=[paper.pk]),
        reverse("quiz:attempt", args=[waiting.pk]),  # the instructions
        reverse("quiz:summary", args=[paper.pk]),
        reverse("quiz:attempt", args=[practice.pk]) + "?feedback=1",
        reverse("quiz:results", args=[finished.pk]),
        reverse("quiz:review", args=[finished.pk]),
        reverse("password_change"),
        "/no-such-page/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        _assert_nothing_inline(url, response.content.decode())
    bad = client.post(reverse("quiz:answer", args=[drill.pk]), {"question": "1", "choice": "x"})
    assert bad.status_code == 400
    _assert_nothing_inline("answer error", bad.content.decode())


def test_the_stand_alone_error_pages_need_nothing_inline():
    from django.template.loader import render_to_string

    for name in ("500.html", "503.html", "400.html", "403_csrf.html"):
        _assert_nothing_inline(name, render_to_string(name, {"message": "m"}))
