"""Starting a quiz: Start on a quiz already running resumes it; new starts are rate-limited."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from quiz.models import Attempt
from tests.factories import QuizFactory, UserFactory, make_questions

pytestmark = pytest.mark.django_db


def _start(client, slug):
    # The catalogue's Start buttons post here.
    return client.post(f"/quizzes/{slug}/start/")


def test_start_on_a_quiz_in_progress_resumes_it(client, student, shipped_bank, clock):
    client.force_login(student)
    first = _start(client, "quick-10")
    second = _start(client, "quick-10")
    assert first["Location"] == second["Location"]
    assert Attempt.objects.filter(user=student).count() == 1


def test_start_after_the_resume_window_finishes_the_old_attempt_and_starts_anew(
    client, student, shipped_bank, clock, settings
):
    client.force_login(student)
    _start(client, "quick-10")
    old = Attempt.objects.get(user=student)
    clock.shift(settings.DRILL_RESUME_WINDOW + dt.timedelta(minutes=1))
    _start(client, "quick-10")
    old.refresh_from_db()
    assert old.is_finished
    assert Attempt.objects.filter(user=student).count() == 2
    assert Attempt.objects.filter(user=student).in_progress().count() == 1


def test_another_students_attempt_is_not_resumed(client, student, shipped_bank, clock):
    other = UserFactory()
    client.force_login(other)
    _start(client, "quick-10")
    client.force_login(student)
    _start(client, "quick-10")
    assert Attempt.objects.filter(user=student).count() == 1


def test_too_many_starts_get_a_429_with_a_clear_page(
    client, student, shipped_bank, clock, settings
):
    settings.START_RATE_LIMIT = 3
    settings.START_RATE_WINDOW = dt.timedelta(minutes=5)
    client.force_login(student)
    quizzes = [QuizFactory(question_count=2) for _ in range(4)]
    for quiz in quizzes[:3]:
        assert _start(client, quiz.slug).status_code == 302
        clock.shift(10)
    refused = _start(client, quizzes[3].slug)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "You have started many quizzes in the last few minutes" in html
    assert "Slow down" in html
    # Free again when the first start leaves the window (5 min after it, 30 s ago).
    assert refused["Retry-After"] == str(5 * 60 - 30 + 1)
    assert Attempt.objects.filter(user=student).count() == 3
    # Resuming a running quiz is never limited.
    assert _start(client, quizzes[0].slug).status_code == 302
    clock.shift(5 * 60)
    assert _start(client, quizzes[3].slug).status_code == 302


def test_the_limit_is_per_student(client, student, shipped_bank, clock, settings):
    settings.START_RATE_LIMIT = 1
    client.force_login(UserFactory())
    assert _start(client, "quick-10").status_code == 302
    client.force_login(student)
    assert _start(client, "quick-10").status_code == 302


def test_practising_mistakes_resumes_and_counts_towards_the_limit(client, student, clock, settings):
    client.force_login(student)
    quiz = QuizFactory(question_count=3)
    attempt = Attempt.start(student, quiz, timezone.now(), make_questions(3), seed=1)
    attempt.finish(timezone.now())
    # The results page's "Practise my mistakes" button posts here.
    first = client.post(f"/attempts/{attempt.pk}/mistakes/")
    second = client.post(f"/attempts/{attempt.pk}/mistakes/")
    assert first["Location"] == second["Location"]
    assert Attempt.objects.filter(retry_of=attempt).count() == 1
    settings.START_RATE_LIMIT = 2
    Attempt.objects.filter(retry_of=attempt).get().finish(timezone.now())
    assert client.post(f"/attempts/{attempt.pk}/mistakes/").status_code == 429


def test_the_database_refuses_a_second_attempt_in_progress(student):
    quiz = QuizFactory(question_count=2)
    Attempt.start(student, quiz, timezone.now(), make_questions(2), seed=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.start(student, quiz, timezone.now(), make_questions(2), seed=2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_of_one_quiz_make_one_attempt(settings):
    from content.bank_files import files_to_db

    files_to_db(settings.CONTENT_BANK_DIR)
    # Its own quiz: a transactional test before this one may have flushed the shipped ones.
    quiz = QuizFactory(slug="race", question_count=5)
    user = UserFactory()
    barrier = threading.Barrier(6, timeout=20)
    locations = []

    def start():
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            locations.append(_start(client, quiz.slug)["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Attempt.objects.filter(user=user).count() == 1
    assert locations == [Attempt.objects.get(user=user).get_absolute_url()] * 6
