"""Integer parameters: ASCII digits within bounds, junk ignored where a default makes sense,
otherwise a 400 that says which field was wrong. Never a 500."""

from __future__ import annotations

import html
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from quiz.models import Answer, Attempt
from quiz.params import BadParameter, int_param
from tests.factories import start_attempt

pytestmark = pytest.mark.django_db

# Python's int() accepts some of these and str.isdigit() others; none is a number a page sends.
JUNK = ["²", "٣", "５", "1\x00", "\x00", " 1", "1 ", "1_0", "+1", "-1", "0", "9" * 10, "9" * 5000]


@pytest.mark.parametrize("raw", JUNK)
def test_junk_falls_back_to_the_default(raw):
    assert int_param(QueryDict(f"q={quote(raw)}"), "q", 7) == 7


@pytest.mark.parametrize("raw", JUNK)
def test_junk_in_a_required_parameter_is_a_bad_request_naming_the_field(raw):
    with pytest.raises(BadParameter, match="'question' field must be a whole number"):
        int_param({"question": raw}, "question")


def test_a_missing_required_parameter_says_so():
    with pytest.raises(BadParameter, match="'question' field is missing"):
        int_param({}, "question")


def test_ascii_digits_within_bounds_are_read():
    assert int_param({"page": "12"}, "page", 1) == 12
    assert int_param({"page": "999999999"}, "page", 1) == 999_999_999
    assert int_param({"page": "3"}, "page", 1, max_value=2) == 1


@pytest.fixture
def practice(student, clock):
    attempt = start_attempt(student, timezone.now(), n=3, mode="practice")
    question = attempt.current_question(timezone.now())
    attempt.answer(Attempt.Intent.SAVE, 1, question.correct_token, timezone.now())
    return attempt


@pytest.mark.parametrize("raw", [*JUNK, "99"])
def test_a_practice_drill_ignores_a_junk_feedback_number(client, student, practice, raw):
    client.force_login(student)
    response = client.get(reverse("quiz:attempt", args=[practice.pk]), {"feedback": raw})
    assert response.status_code == 200
    assert "Question 2 of 3" in response.content.decode()


def test_a_practice_drill_still_shows_the_feedback_asked_for(client, student, practice):
    client.force_login(student)
    response = client.get(reverse("quiz:attempt", args=[practice.pk]), {"feedback": "1"})
    assert response.status_code == 200 and "Correct" in response.content.decode()


@pytest.mark.parametrize("raw", JUNK)
def test_a_paper_shows_question_one_for_a_junk_number(client, student, clock, raw):
    paper = start_attempt(student, timezone.now(), n=3, timing="paper", paper_minutes=30)
    client.force_login(student)
    response = client.get(reverse("quiz:attempt", args=[paper.pk]), {"q": raw})
    assert response.status_code == 200
    assert "Question 1 of 3" in response.content.decode()


@pytest.mark.parametrize("raw", ["²", "٣", "５", "1\x00", "9" * 5000])
def test_a_junk_question_number_in_an_answer_is_a_400_with_a_message(
    client, student, practice, raw
):
    client.force_login(student)
    question = practice.questions.get(position=2)
    response = client.post(
        reverse("quiz:answer", args=[practice.pk]),
        {"question": raw, "choice": question.correct_token},
    )
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "The 'question' field must be a whole number" in text
    assert Answer.objects.count() == 1


@pytest.mark.parametrize("raw", ["²", "٣", "\x00", "9" * 5000, "0"])
def test_page_numbers_ignore_junk(client, raw):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("quiz:items"), {"page": raw})
    assert response.status_code == 200
