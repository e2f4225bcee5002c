"""Concurrent duplicate answers leave exactly one row (the database constraint decides)."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Answer
from tests.factories import UserFactory, start_attempt


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_submissions_record_one_answer():
    user = UserFactory()
    attempt = start_attempt(user, timezone.now(), n=2)
    question = attempt.current_question(timezone.now())
    tokens = question.tokens()
    barrier = threading.Barrier(6, timeout=10)
    statuses = []

    def post(token):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post(
                reverse("quiz:answer", args=[attempt.pk]), {"question": 1, "choice": token}
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(tokens[i % 4],)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 6
    assert Answer.objects.filter(question=question).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_answer_row():
    user = UserFactory()
    attempt = start_attempt(user, timezone.now(), n=1)
    question = attempt.current_question(timezone.now())
    Answer.objects.create(
        attempt=attempt,
        question=question,
        chosen_token="",
        outcome="unanswered",
        answered_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            attempt=attempt,
            question=question,
            chosen_token=question.correct_token,
            outcome="correct",
            answered_at=timezone.now(),
        )


@pytest.mark.django_db
def test_the_database_refuses_an_outcome_that_contradicts_the_choice():
    user = UserFactory()
    attempt = start_attempt(user, timezone.now(), n=1)
    question = attempt.current_question(timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            attempt=attempt,
            question=question,
            chosen_token="",
            outcome="correct",
            answered_at=timezone.now(),
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(3))
def test_answers_racing_a_submit_never_change_the_scored_paper(trial):
    """40 answer changes race one submit. Once submit has returned, no answer row changes
    and the stored score equals a recomputation from the stored answers."""
    from quiz.models import Attempt
    from quiz.scoring import Tally, to_decimal

    user = UserFactory()
    now = timezone.now()
    attempt = start_attempt(user, now, n=40, timing="paper", paper_minutes=60)
    questions = list(attempt.questions.order_by("position"))
    for q in questions:  # everything wrong to begin with
        attempt.submit(q.position, next(t for t in q.tokens() if t != q.correct_token), now)
    barrier = threading.Barrier(len(questions) + 1, timeout=30)
    after_submit = {}

    def rows():
        return dict(
            Answer.objects.filter(attempt=attempt).values_list("question_id", "chosen_token")
        )

    def change(q):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            client.post(
                reverse("quiz:answer", args=[attempt.pk]),
                {"question": q.position, "choice": q.correct_token},
            )
        finally:
            connection.close()

    def submit():
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            assert client.post(reverse("quiz:submit", args=[attempt.pk])).status_code == 302
            after_submit.update(rows())
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(q,)) for q in questions]
    threads.insert(len(threads) // 4, threading.Thread(target=submit))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.is_finished
    assert rows() == after_submit
    outcomes = list(attempt.answers.values_list("outcome", flat=True))
    tally = Tally(outcomes.count("correct"), outcomes.count("wrong"), outcomes.count("unanswered"))
    assert (attempt.correct_count, attempt.wrong_count) == (tally.correct, tally.wrong)
    assert attempt.score == to_decimal(tally.score(attempt.marking()))
