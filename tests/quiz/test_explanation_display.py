"""The review page and practice feedback show the explanation and each of its sources."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import start_attempt
from tests.quiz.test_results import _finish

pytestmark = pytest.mark.django_db

SOURCES = ["Joint statement — para 1", "NetIndian — lede"]


def _block(html: str) -> str:
    match = re.search(r'<div class="explanation">(.*?)</div>', html, re.S)
    assert match, "no explanation block"
    return match.group(1)


def _check(block: str) -> None:
    assert "<strong>Why:</strong> Because 1." in block
    assert "Sources" in block
    for source in SOURCES:
        assert f"<li><small><cite>{source}</cite></small></li>" in block
    # The Content-Security-Policy forbids inline script and style.
    assert "<script" not in block and "style=" not in block


def test_the_review_lists_each_source_of_the_explanation(client, student):
    attempt = start_attempt(student, timezone.now(), n=2)
    attempt.questions.filter(position=1).update(sources=SOURCES)
    _finish(attempt, ["right", "wrong"], timezone.now())
    client.force_login(student)
    html = client.get(reverse("quiz:review", args=[attempt.pk])).content.decode()
    _check(_block(html))


def test_practice_feedback_lists_each_source_of_the_explanation(client, student):
    attempt = start_attempt(student, timezone.now(), n=2, mode="practice")
    attempt.questions.filter(position=1).update(sources=SOURCES)
    client.force_login(student)
    url = reverse("quiz:attempt", args=[attempt.pk])
    client.get(url)
    question = attempt.questions.get(position=1)
    token = next(t for t in question.tokens() if t != question.correct_token)
    response = client.post(
        reverse("quiz:answer", args=[attempt.pk]), {"question": 1, "choice": token}
    )
    html = client.get(response["Location"]).content.decode()
    _check(_block(html))


def test_a_single_source_is_labelled_in_the_singular(client, student):
    attempt = start_attempt(student, timezone.now(), n=1)
    _finish(attempt, ["right"], timezone.now())
    client.force_login(student)
    block = _block(client.get(reverse("quiz:review", args=[attempt.pk])).content.decode())
    assert "<small>Source</small>" in block
