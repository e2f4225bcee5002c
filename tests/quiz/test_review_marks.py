"""The NTA buttons on a paper and the five palette states: "Save & Next", "Save & Mark for
Review", "Mark for Review & Next", "Clear Response"; not visited, not answered, answered,
marked for review, answered and marked for review (which is evaluated)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from quiz.models import Answer, AttemptQuestion
from tests.factories import start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(student, clock):
    return start_attempt(student, timezone.now(), n=4, timing="paper", paper_minutes=10)


def _q(attempt, position) -> AttemptQuestion:
    return attempt.questions.select_related("answer").get(position=position)


def _answer_url(html: str) -> str:
    """The answer form's action, as the paper page gives it."""
    return re.search(r'<form method="post" action="([^"]+)" id="answer-form"', html).group(1)


def _press(client, attempt, position, action, token=""):
    """Open question ``position`` and press one of its buttons with ``token`` checked."""
    page = client.get(f"/attempts/{attempt.pk}/?q={position}").content.decode()
    data = {"question": position, "action": action}
    if token:
        data["choice"] = token
    return client.post(_answer_url(page), data)


def test_mark_for_review_keeps_the_option_on_screen_and_it_is_evaluated(client, student, paper):
    """The bug: "Mark for review" threw away the option the student had picked, and the
    question was scored as unanswered."""
    client.force_login(student)
    q2 = _q(paper, 2)
    _press(client, paper, 2, "mark", q2.correct_token)
    answer = Answer.objects.get(question=q2)
    assert answer.chosen_token == q2.correct_token
    client.post(f"/attempts/{paper.pk}/submit/")
    paper.refresh_from_db()
    assert (paper.correct_count, paper.wrong_count, paper.unanswered_count) == (1, 0, 3)
    assert str(paper.score) == "2.00"


def test_save_and_mark_for_review_is_answered_and_marked_and_evaluated(client, student, paper):
    client.force_login(student)
    q1 = _q(paper, 1)
    wrong = next(t for t in q1.tokens() if t != q1.correct_token)
    response = _press(client, paper, 1, "save_mark", wrong)
    assert response["Location"].endswith("?q=2")  # and on to the next question
    q1 = _q(paper, 1)
    assert q1.marked and q1.answer.chosen_token == wrong
    assert q1.state == AttemptQuestion.State.ANSWERED_MARKED
    html = client.get(f"/attempts/{paper.pk}/?q=2").content.decode()
    assert 'aria-label="Question 1: answered and marked for review"' in html
    client.post(f"/attempts/{paper.pk}/submit/")
    paper.refresh_from_db()
    assert paper.wrong_count == 1 and str(paper.score) == "-0.67"


def test_mark_for_review_without_a_choice_keeps_an_earlier_answer(client, student, paper):
    client.force_login(student)
    q3 = _q(paper, 3)
    _press(client, paper, 3, "save", q3.correct_token)
    response = _press(client, paper, 3, "mark")
    assert response["Location"].endswith("?q=4")
    q3 = _q(paper, 3)
    assert q3.marked and q3.answer.chosen_token == q3.correct_token
    assert q3.state == AttemptQuestion.State.ANSWERED_MARKED


def test_mark_for_review_of_an_unanswered_question_is_marked_and_not_answered(
    client, student, paper
):
    client.force_login(student)
    _press(client, paper, 2, "mark")
    q2 = _q(paper, 2)
    assert q2.marked and not Answer.objects.filter(question=q2).exists()
    assert q2.state == AttemptQuestion.State.MARKED


def test_save_and_next_on_a_marked_question_takes_the_mark_off(client, student, paper):
    client.force_login(student)
    q1 = _q(paper, 1)
    _press(client, paper, 1, "mark")
    _press(client, paper, 1, "save", q1.correct_token)
    assert _q(paper, 1).state == AttemptQuestion.State.ANSWERED


def test_clear_response_removes_the_answer_and_keeps_the_mark(client, student, paper):
    client.force_login(student)
    q1 = _q(paper, 1)
    _press(client, paper, 1, "save_mark", q1.correct_token)
    response = _press(client, paper, 1, "clear", q1.correct_token)  # still checked on screen
    assert response["Location"].endswith("?q=1")  # stays on the question
    q1 = _q(paper, 1)
    assert q1.answer.chosen_token == "" and q1.marked
    assert q1.state == AttemptQuestion.State.MARKED


def test_not_visited_is_stored_so_it_survives_a_reload(client, student, paper):
    client.force_login(student)
    html = client.get(f"/attempts/{paper.pk}/").content.decode()
    assert 'aria-label="Question 1: not answered"' in html  # opened now
    assert 'aria-label="Question 3: not visited"' in html
    client.get(f"/attempts/{paper.pk}/?q=3")
    assert _q(paper, 3).served_at == timezone.now()
    html = client.get(f"/attempts/{paper.pk}/?q=1").content.decode()
    assert 'aria-label="Question 3: not answered"' in html
    assert 'aria-label="Question 4: not visited"' in html


def test_the_page_has_the_four_buttons_and_a_legend_of_the_five_states(client, student, paper):
    client.force_login(student)
    html = client.get(f"/attempts/{paper.pk}/").content.decode()
    for label in ("Save &amp; Next", "Save &amp; Mark for Review", "Mark for Review &amp; Next"):
        assert label in html
    assert "Clear Response" in html
    legend = html.split('class="palette-legend"')[1].split("</ul>")[0]
    for state in AttemptQuestion.State:
        assert state.label in legend
    # The legend counts the questions in each state: 1 opened, 3 not visited.
    assert re.search(r's-not_visited" aria-hidden="true">3</span>', legend)
    assert re.search(r's-not_answered" aria-hidden="true">1</span>', legend)


def test_the_states_are_counted_in_the_legend_order():
    questions = [
        AttemptQuestion(position=1, marked=False),
        AttemptQuestion(position=2, marked=True),
        AttemptQuestion(position=3, marked=False, served_at=timezone.now()),
    ]
    counts = dict(AttemptQuestion.count_states(questions))
    assert list(counts) == list(AttemptQuestion.State)
    assert counts == {
        AttemptQuestion.State.NOT_VISITED: 1,
        AttemptQuestion.State.NOT_ANSWERED: 1,
        AttemptQuestion.State.ANSWERED: 0,
        AttemptQuestion.State.MARKED: 1,
        AttemptQuestion.State.ANSWERED_MARKED: 0,
    }


# Session, user, then one transaction (a savepoint pair inside the test's own transaction):
# the attempt locked with its ownership check in one query, the question with its answer,
# the previous save's time, the insert (9 before issue 12's answer path).
PAPER_SAVE_QUERIES = 8
# A review mark changes one more row: the question's flag (only when it changes).
PAPER_SAVE_AND_MARK_QUERIES = 9


@pytest.mark.parametrize("n", [3, 40])
def test_saving_on_a_paper_costs_a_constant_number_of_queries(
    client, student, clock, django_assert_num_queries, n
):
    attempt = start_attempt(student, timezone.now(), n=n, timing="paper", paper_minutes=60)
    client.force_login(student)
    client.get(f"/attempts/{attempt.pk}/")
    q1 = _q(attempt, 1)
    with django_assert_num_queries(PAPER_SAVE_QUERIES):
        client.post(
            f"/attempts/{attempt.pk}/answer/",
            {"question": 1, "choice": q1.correct_token, "action": "save"},
        )
    with django_assert_num_queries(PAPER_SAVE_AND_MARK_QUERIES):
        client.post(
            f"/attempts/{attempt.pk}/answer/",
            {"question": 1, "choice": q1.correct_token, "action": "save_mark"},
        )


# Session, user, attempt, every question with its answer (one query); a first visit adds
# the update that records it. The five states cost nothing more: they are read off rows
# the palette already loads.
PAPER_PAGE_QUERIES = 4


@pytest.mark.parametrize("n", [3, 40])
def test_the_paper_page_with_its_palette_costs_a_fixed_number_of_queries(
    client, student, clock, django_assert_num_queries, n
):
    attempt = start_attempt(student, timezone.now(), n=n, timing="paper", paper_minutes=60)
    client.force_login(student)
    with django_assert_num_queries(PAPER_PAGE_QUERIES + 1):
        client.get(f"/attempts/{attempt.pk}/?q=2")  # first visit: recorded
    with django_assert_num_queries(PAPER_PAGE_QUERIES):
        html = client.get(f"/attempts/{attempt.pk}/?q=2").content.decode()
    assert html.count('class="cell s-not_visited') == n - 1 + 1  # n-1 cells and the legend
