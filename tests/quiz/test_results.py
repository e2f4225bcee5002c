"""Results, review and "practise my mistakes"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Quiz
from tests.factories import make_questions, start_attempt

pytestmark = pytest.mark.django_db


def _finish(attempt, picks, now):
    """picks: per position 'right', 'wrong' or None (unanswered)."""
    for position, pick in enumerate(picks, 1):
        question = (
            attempt.current_question(now)
            if attempt.is_drill
            else attempt.questions.get(position=position)
        )
        assert question.position == position
        if pick is None:
            attempt.answer(Attempt.Intent.CLEAR, position, "", now)
            continue
        token = (
            question.correct_token
            if pick == "right"
            else next(t for t in question.tokens() if t != question.correct_token)
        )
        attempt.answer(Attempt.Intent.SAVE, position, token, now)
    attempt.finish(now)
    attempt.refresh_from_db()
    return attempt


def test_results_show_score_counts_accuracy_and_time(client, student, clock):
    attempt = start_attempt(student, timezone.now(), n=4)
    _finish(attempt, ["right", "right", "wrong", None], timezone.now())
    client.force_login(student)
    html = client.get(reverse("quiz:results", args=[attempt.pk])).content.decode()
    assert "<strong>3.33</strong> / 8.00 marks" in html
    assert 'id="count-correct">2<' in html and 'id="count-wrong">1<' in html
    assert 'id="count-unanswered">1<' in html
    assert "67% of answered" in html
    assert "This is your first finished attempt" in html
    assert "Practise my 2 mistakes" in html


def test_results_compare_with_previous_attempts_at_the_same_quiz(client, student, clock):
    quiz = Quiz.objects.create(slug="q", title="Q", question_count=2, published=True)
    first = Attempt.start(student, quiz, timezone.now(), make_questions(2), seed=1)
    _finish(first, ["right", "wrong"], timezone.now())
    clock.shift(dt.timedelta(days=1))
    second = Attempt.start(student, quiz, timezone.now(), make_questions(2), seed=2)
    _finish(second, ["right", "right"], timezone.now())
    client.force_login(student)
    html = client.get(reverse("quiz:results", args=[second.pk])).content.decode()
    assert "A new personal best on this quiz." in html
    assert reverse("quiz:results", args=[first.pk]) in html


def test_an_unfinished_attempt_has_no_results_yet(client, student, clock):
    attempt = start_attempt(student, timezone.now(), n=2)
    client.force_login(student)
    response = client.get(reverse("quiz:results", args=[attempt.pk]))
    assert response["Location"] == reverse("quiz:attempt", args=[attempt.pk])
    assert client.get(reverse("quiz:review", args=[attempt.pk]))["Location"] == reverse(
        "quiz:attempt", args=[attempt.pk]
    )


def test_review_shows_choice_correct_option_explanation_and_source(client, student, clock):
    attempt = start_attempt(student, timezone.now(), n=3)
    _finish(attempt, ["wrong", "right", None], timezone.now())
    client.force_login(student)
    html = client.get(reverse("quiz:review", args=[attempt.pk])).content.decode()
    q1 = attempt.questions.get(position=1)
    assert f"{q1.answer.chosen_text} <em>(your choice)</em>" in html
    assert "Right answer 1 <strong>— correct answer</strong>" in html
    assert "Because 1." in html and "Doc 1 — para 1" in html
    assert "Not answered." in html


def test_practise_my_mistakes_starts_a_practice_drill_of_wrong_and_unanswered(
    client, student, clock
):
    attempt = start_attempt(student, timezone.now(), n=4, timing="paper", paper_minutes=5)
    _finish(attempt, ["wrong", "right", None, "right"], timezone.now())
    client.force_login(student)
    response = client.post(reverse("quiz:mistakes", args=[attempt.pk]))
    retry = Attempt.objects.exclude(pk=attempt.pk).get()
    assert response["Location"] == reverse("quiz:attempt", args=[retry.pk])
    assert retry.retry_of == attempt and retry.mode == "practice" and retry.timing == "drill"
    stems = list(retry.questions.order_by("position").values_list("stem", flat=True))
    assert stems == ["Question number 1?", "Question number 3?"]
    old_tokens = {t for q in attempt.questions.all() for t in q.tokens()}
    new_tokens = {t for q in retry.questions.all() for t in q.tokens()}
    assert not old_tokens & new_tokens
    assert [q.correct_text for q in retry.questions.order_by("position")] == [
        "Right answer 1",
        "Right answer 3",
    ]


def test_no_mistakes_means_nothing_to_practise(client, student, clock):
    attempt = start_attempt(student, timezone.now(), n=2)
    _finish(attempt, ["right", "right"], timezone.now())
    client.force_login(student)
    assert (
        "Practise my" not in client.get(reverse("quiz:results", args=[attempt.pk])).content.decode()
    )
    response = client.post(reverse("quiz:mistakes", args=[attempt.pk]))
    assert response.status_code == 400
    assert Attempt.objects.count() == 1


def test_a_past_attempt_is_frozen_against_bank_edits(shipped_bank, student, clock):
    from content.models import Fact
    from quiz.starting import start_quiz

    quiz = Quiz.objects.get(slug="quick-10")
    attempt = start_quiz(student, quiz, timezone.now())
    before = list(attempt.questions.values_list("stem", "options", "correct_token", "explanation"))
    assert len(before) == 10
    Fact.objects.update(status=Fact.Status.DRAFT, notes="edited")
    attempt.refresh_from_db()
    after = list(attempt.questions.values_list("stem", "options", "correct_token", "explanation"))
    assert after == before
