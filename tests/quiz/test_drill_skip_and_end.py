"""Drills: Skip (the question counts as unanswered and the next one comes) and End now
(the drill finishes with what is answered)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from quiz.models import Answer
from tests.factories import start_attempt

pytestmark = pytest.mark.django_db


def _skip(client, attempt, position, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {"question": position, "action": "skip"}
    return client.post(f"/attempts/{attempt.pk}/answer/", data, **headers)


@pytest.mark.parametrize("mode", ["exam", "practice"])
def test_skip_counts_as_unanswered_and_brings_the_next_question(client, student, clock, mode):
    drill = start_attempt(student, timezone.now(), n=3, mode=mode)
    client.force_login(student)
    html = client.get(f"/attempts/{drill.pk}/").content.decode()
    assert 'name="action" value="skip"' in html and ">Skip</button>" in html
    fragment = _skip(client, drill, 1, htmx=True).content.decode()
    assert "Question 2 of 3" in fragment and "Question number 2?" in fragment
    assert "Time ran out" not in fragment  # no feedback for a skip, even in practice
    answer = Answer.objects.get(question__attempt=drill, question__position=1)
    assert answer.outcome == "unanswered" and answer.chosen_token == ""
    assert drill.questions.get(position=2).served_at == timezone.now()


def test_skip_without_javascript_goes_to_the_next_question(client, student, clock):
    drill = start_attempt(student, timezone.now(), n=2)
    client.force_login(student)
    client.get(f"/attempts/{drill.pk}/")
    response = _skip(client, drill, 1)
    assert response["Location"] == f"/attempts/{drill.pk}/"
    assert "Question number 2?" in client.get(response["Location"]).content.decode()


def test_skipping_the_last_question_shows_the_results(client, student, clock):
    drill = start_attempt(student, timezone.now(), n=1)
    client.force_login(student)
    client.get(f"/attempts/{drill.pk}/")
    response = _skip(client, drill, 1, htmx=True)
    assert response["HX-Redirect"] == f"/attempts/{drill.pk}/results/"
    drill.refresh_from_db()
    assert drill.status == "finished" and drill.unanswered_count == 1


def test_a_skip_after_an_answer_changes_nothing(client, student, clock):
    drill = start_attempt(student, timezone.now(), n=2)
    client.force_login(student)
    client.get(f"/attempts/{drill.pk}/")
    q1 = drill.questions.get(position=1)
    client.post(f"/attempts/{drill.pk}/answer/", {"question": 1, "choice": q1.correct_token})
    _skip(client, drill, 1)
    assert Answer.objects.get(question=q1).outcome == "correct"


def test_end_now_finishes_with_what_is_answered(client, student, clock):
    drill = start_attempt(student, timezone.now(), n=4)
    client.force_login(student)
    client.get(f"/attempts/{drill.pk}/")
    q1 = drill.questions.get(position=1)
    html = client.post(
        f"/attempts/{drill.pk}/answer/",
        {"question": 1, "choice": q1.correct_token},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    end = re.search(r'<form method="post" action="([^"]+)" class="end-now"', html).group(1)
    assert ">End now</button>" in html
    response = client.post(end)
    assert response["Location"] == f"/attempts/{drill.pk}/results/"
    drill.refresh_from_db()
    assert drill.status == "finished"
    assert (drill.correct_count, drill.wrong_count, drill.unanswered_count) == (1, 0, 3)


# A skip is an answer with no choice: the same queries as answering and getting the next
# question (tests/quiz/test_drill.py: ANSWER_AND_NEXT_QUERIES).
SKIP_AND_NEXT_QUERIES = 8


@pytest.mark.parametrize("n", [3, 40])
def test_a_skip_costs_what_an_answer_costs(client, student, clock, django_assert_num_queries, n):
    drill = start_attempt(student, timezone.now(), n=n)
    client.force_login(student)
    client.get(f"/attempts/{drill.pk}/")
    with django_assert_num_queries(SKIP_AND_NEXT_QUERIES):
        assert "Question number 2?" in _skip(client, drill, 1, htmx=True).content.decode()
