"""Saving with no option chosen keeps the student where they were, with a message beside
the options: in a paper and in a drill, by plain POST and by htmx; never a bare error page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from quiz.models import Answer
from tests.factories import start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(student, clock):
    return start_attempt(student, timezone.now(), n=3, timing="paper", paper_minutes=10)


@pytest.mark.parametrize("action", ["save", "save_mark"])
def test_a_paper_save_without_a_choice_stays_in_the_paper(client, student, paper, action):
    client.force_login(student)
    client.get(f"/attempts/{paper.pk}/?q=2")
    response = client.post(f"/attempts/{paper.pk}/answer/", {"question": 2, "action": action})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="inline-error" id="answer-error" role="alert">Choose one of the options' in html
    # The paper around it: this question, its options, the palette and the clock.
    assert "Question 2 of 3" in html and "Question number 2?" in html
    assert 'class="palette-grid"' in html and 'role="timer"' in html
    assert "That answer was not accepted" not in html  # not the bare error fragment
    assert not Answer.objects.filter(question__attempt=paper).exists()
    assert not paper.questions.get(position=2).marked


def test_a_paper_save_without_a_choice_over_htmx_gets_the_paper_to_swap(client, student, paper):
    client.force_login(student)
    response = client.post(
        f"/attempts/{paper.pk}/answer/", {"question": 1, "action": "save"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps 2xx only
    assert "Choose one of the options" in response.content.decode()


def test_a_drill_answer_without_a_choice_shows_the_question_again(client, student, clock):
    drill = start_attempt(student, timezone.now(), n=2)
    client.force_login(student)
    client.get(f"/attempts/{drill.pk}/")
    response = client.post(f"/attempts/{drill.pk}/answer/", {"question": 1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="drill"')
    assert 'class="inline-error" role="alert">Choose one of the options.' in html
    assert "Question number 1?" in html
    plain = client.post(f"/attempts/{drill.pk}/answer/", {"question": 1})
    assert plain.status_code == 400 and "<!doctype html>" in plain.content.decode()
    assert "Choose one of the options." in plain.content.decode()
    assert not Answer.objects.filter(question__attempt=drill).exists()
