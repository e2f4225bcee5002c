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
