"""Another user's attempt is a 404, forged or malformed posts are 400s that change nothing,
every POST needs a CSRF token, and each view refuses the wrong method."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Answer, AttemptQuestion
from tests.factories import UserFactory, start_attempt

pytestmark = pytest.mark.django_db

VIEWS = [
    ("quiz:attempt", "get"),
    ("quiz:answer", "post"),
    ("quiz:submit", "post"),
    ("quiz:results", "get"),
    ("quiz:review", "get"),
    ("quiz:mistakes", "post"),
]


@pytest.fixture
def attempt(student, clock):
    a = start_attempt(student, timezone.now(), n=3)
    a.current_question(timezone.now())
    return a


def _snapshot():
    return (
        list(Answer.objects.values_list("pk", "chosen_token", "outcome")),
        list(AttemptQuestion.objects.values_list("pk", "served_at", "marked")),
    )


@pytest.mark.parametrize(("name", "method"), VIEWS)
def test_another_users_attempt_is_a_404(client, attempt, name, method):
    client.force_login(UserFactory())
    before = _snapshot()
    response = getattr(client, method)(reverse(name, args=[attempt.pk]), {"question": 1})
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "method"), VIEWS)
def test_anonymous_visitors_are_sent_to_log_in(client, attempt, name, method):
    response = getattr(client, method)(reverse(name, args=[attempt.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("name", "method"), VIEWS)
def test_the_wrong_method_is_a_405(client, student, attempt, name, method):
    client.force_login(student)
    wrong = "post" if method == "get" else "get"
    assert getattr(client, wrong)(reverse(name, args=[attempt.pk])).status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": "1", "choice": "not-a-real-token"}, "does not belong to this question"),
        ({"choice": "x"}, "'question' field is missing"),
        ({"question": "one", "choice": "x"}, "'question' field must be a whole number"),
        ({"question": "99", "choice": "x"}, "no question 99"),
        ({"question": "-1"}, "'question' field must be a whole number"),
        ({"question": "1"}, "Choose one of the options"),
        ({"question": "1", "choice": "ünï©ødé" * 500}, "does not belong"),
        ({"question": "9" * 40, "choice": "x"}, "'question' field must be a whole number"),
    ],
)
def test_a_forged_or_malformed_answer_is_a_400_that_changes_nothing(
    client, student, attempt, data, message
):
    client.force_login(student)
    before = _snapshot()
    response = client.post(reverse("quiz:answer", args=[attempt.pk]), data)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert _snapshot() == before


def test_a_token_from_another_question_is_refused(client, student, attempt):
    client.force_login(student)
    other = attempt.questions.get(position=2).tokens()[0]
    response = client.post(
        reverse("quiz:answer", args=[attempt.pk]), {"question": 1, "choice": other}
    )
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_every_post_needs_a_csrf_token(student, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    token = attempt.questions.get(position=1).correct_token
    response = client.post(
        reverse("quiz:answer", args=[attempt.pk]), {"question": 1, "choice": token}
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()
    assert client.post(reverse("quiz:start", args=["quick-10"])).status_code == 403
