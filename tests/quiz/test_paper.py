"""Papers: one deadline, a palette, free navigation, answers changeable until submission."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Answer
from tests.factories import start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(student, clock):
    return start_attempt(student, timezone.now(), n=4, timing="paper", paper_minutes=10)


def _page(client, attempt, q=None):
    return client.get(reverse("quiz:attempt", args=[attempt.pk]), {"q": q} if q else {})


def _post(client, attempt, position, token="", action="save"):
    return client.post(
        reverse("quiz:answer", args=[attempt.pk]),
        {"question": position, "choice": token, "action": action},
    )


def _q(attempt, position):
    return attempt.questions.get(position=position)


def test_the_paper_has_one_deadline_from_the_start(paper):
    assert (paper.deadline - paper.started_at).total_seconds() == 600


def test_the_palette_shows_answered_unanswered_and_marked(client, student, paper):
    client.force_login(student)
    _post(client, paper, 2, _q(paper, 2).correct_token)
    _post(client, paper, 3, action="mark")
    html = _page(client, paper, q=1).content.decode()
    assert 'aria-label="Question 2: answered"' in html
    assert 'aria-label="Question 3: marked for review"' in html
    assert 'aria-label="Question 1: not answered"' in html
    assert 'aria-label="Question 4: not visited"' in html


def test_free_navigation_and_save_moves_to_the_next_question(client, student, paper):
    client.force_login(student)
    assert "Question number 3?" in _page(client, paper, q=3).content.decode()
    response = _post(client, paper, 3, _q(paper, 3).tokens()[0])
    assert response["Location"].endswith("?q=4")
    assert "Question number 1?" in _page(client, paper, q=1).content.decode()


def test_an_answer_can_change_and_be_cleared_until_submission(client, student, paper):
    client.force_login(student)
    q1 = _q(paper, 1)
    wrong = next(t for t in q1.tokens() if t != q1.correct_token)
    _post(client, paper, 1, wrong)
    _post(client, paper, 1, q1.correct_token)
    assert Answer.objects.get(question=q1).outcome == "correct"
    assert f'value="{q1.correct_token}" data-key' in _page(client, paper, q=1).content.decode()
    _post(client, paper, 1, action="clear")
    answer = Answer.objects.get(question=q1)
    assert answer.outcome == "unanswered" and answer.chosen_token == ""
    assert Answer.objects.filter(question=q1).count() == 1


def test_clearing_ignores_the_option_still_checked_on_the_page(client, student, paper):
    """The browser posts the checked radio with the Clear button: clearing must not save it."""
    client.force_login(student)
    q1 = _q(paper, 1)
    _post(client, paper, 1, q1.correct_token)
    _post(client, paper, 1, q1.correct_token, action="clear")
    answer = Answer.objects.get(question=q1)
    assert answer.outcome == "unanswered" and answer.chosen_token == ""


def test_the_paper_page_never_reveals_the_correct_option(client, student, paper):
    client.force_login(student)
    html = _page(client, paper, q=2).content.decode()
    assert "correct" not in html.lower().replace("correctly", "")
    for token in _q(paper, 2).tokens():
        assert html.count(token) == 1


def test_answers_after_the_deadline_are_ignored_and_the_paper_is_finished(
    client, student, paper, clock
):
    client.force_login(student)
    q1, q2 = _q(paper, 1), _q(paper, 2)
    _post(client, paper, 1, q1.correct_token)
    clock.shift(600 + 3)
    response = _post(client, paper, 2, q2.correct_token)
    assert response.status_code == 302 and response["Location"].endswith("/results/")
    paper.refresh_from_db()
    assert paper.status == "finished"
    assert (paper.correct_count, paper.wrong_count, paper.unanswered_count) == (1, 0, 3)
    assert paper.finished_at == paper.deadline


def test_an_answer_within_the_grace_still_counts(client, student, paper, clock):
    client.force_login(student)
    clock.shift(600 + 1)
    _post(client, paper, 1, _q(paper, 1).correct_token)
    assert Answer.objects.get(question__attempt=paper, question__position=1).outcome == "correct"


def test_opening_the_paper_after_time_is_up_shows_the_results(client, student, paper, clock):
    client.force_login(student)
    clock.shift(3600)
    response = _page(client, paper)
    assert response["Location"] == reverse("quiz:results", args=[paper.pk])


def test_submitting_scores_the_paper_with_upsc_marking(client, student, paper):
    client.force_login(student)
    q = [_q(paper, i) for i in range(1, 5)]
    _post(client, paper, 1, q[0].correct_token)
    _post(client, paper, 2, q[1].correct_token)
    _post(client, paper, 3, next(t for t in q[2].tokens() if t != q[2].correct_token))
    response = client.post(reverse("quiz:submit", args=[paper.pk]))
    assert response["Location"] == reverse("quiz:results", args=[paper.pk])
    paper.refresh_from_db()
    assert str(paper.score) == "3.33"
    assert _post(client, paper, 4, q[3].correct_token)["Location"].endswith("/results/")
    assert not Answer.objects.filter(question=q[3]).exclude(outcome="unanswered").exists()


def test_the_countdown_shows_the_server_time_left(client, student, paper, clock):
    client.force_login(student)
    clock.shift(100)
    assert 'data-seconds-left="500.000"' in _page(client, paper).content.decode()


def test_practice_paper_shows_feedback_and_locks_the_answer(client, student, clock):
    attempt = start_attempt(
        student, timezone.now(), n=2, timing="paper", paper_minutes=5, mode="practice"
    )
    client.force_login(student)
    q1 = _q(attempt, 1)
    wrong = next(t for t in q1.tokens() if t != q1.correct_token)
    response = _post(client, attempt, 1, wrong)
    assert response["Location"].endswith("?q=1")
    html = client.get(response["Location"]).content.decode()
    assert "Not quite" in html and "Because 1." in html
    _post(client, attempt, 1, q1.correct_token)
    assert Answer.objects.get(question=q1).outcome == "wrong"


def test_the_finish_command_closes_expired_attempts(student, clock):
    from django.core.management import call_command

    paper = start_attempt(student, timezone.now(), n=2, timing="paper", paper_minutes=1)
    drill = start_attempt(student, timezone.now(), n=2)
    drill.current_question(timezone.now())
    fresh = start_attempt(student, timezone.now(), n=2, timing="paper", paper_minutes=60)
    clock.shift(120)
    call_command("finish_expired_attempts")
    for attempt in (paper, drill, fresh):
        attempt.refresh_from_db()
    assert paper.status == "finished" and paper.unanswered_count == 2
    assert drill.status == "in_progress"  # question 2 not yet served: still resumable
    assert drill.answers.get().outcome == "unanswered"
    assert fresh.status == "in_progress"


def test_a_papers_time_per_question_runs_from_the_previous_save(client, student, paper, clock):
    client.force_login(student)
    clock.shift(30)
    _post(client, paper, 2, _q(paper, 2).tokens()[0])
    clock.shift(12)
    _post(client, paper, 1, _q(paper, 1).tokens()[0])
    elapsed = dict(
        Answer.objects.filter(attempt=paper).values_list("question__position", "elapsed_ms")
    )
    assert elapsed == {2: 30_000, 1: 12_000}


def test_the_countdown_bar_is_scaled_to_the_whole_paper(client, student, paper, clock):
    client.force_login(student)
    clock.shift(150)
    html = _page(client, paper).content.decode()
    assert 'data-seconds-left="450.000" data-total="600"' in html
