"""A calm start (issue 12, item 3): starting a live test copies its frozen paper in a
constant number of queries whatever its length, and the first question renders in as many
queries for a 100-question paper as for a 10-question one."""

from __future__ import annotations

import datetime as dt

import pytest

from quiz.models import Attempt, Quiz
from tests.factories import UserFactory, live_test

pytestmark = pytest.mark.django_db

# Session, user, the quiz, the student's running attempt or sitting (one query; two before
# issue 12's calm start), then one transaction (savepoint, release): the attempt row and ONE
# bulk insert of its questions.
START_QUERIES = 8


def _inserts(n: int) -> int:
    """Statements for ``n`` questions' bulk insert: one on PostgreSQL (65,535 parameters, so
    over 3,000 questions); SQLite's 999 parameters take 58 questions a statement."""
    import math

    from django.db import connection

    from quiz.models import AttemptQuestion

    fields = [f for f in AttemptQuestion._meta.concrete_fields if not f.primary_key]
    return math.ceil(n / connection.ops.bulk_batch_size(fields, [None] * n))


def _live(n: int, timing: str) -> Quiz:
    return live_test(
        n,
        timing,
        -dt.timedelta(minutes=1),
        open_for=dt.timedelta(hours=3),
        slug=f"mock-{n}-{timing}",
        paper_minutes=120,
    )


@pytest.mark.parametrize("timing", [Quiz.Timing.DRILL, Quiz.Timing.PAPER])
@pytest.mark.parametrize("n", [10, 100])
def test_starting_a_live_test_costs_the_same_queries_whatever_its_length(
    client, n, timing, django_assert_num_queries
):
    quiz = _live(n, timing)
    client.force_login(UserFactory())
    with django_assert_num_queries(START_QUERIES - 1 + _inserts(n)):
        response = client.post(f"/quizzes/{quiz.slug}/start/")
    assert response.status_code == 302
    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.questions.count() == n
    assert response["Location"] == attempt.get_absolute_url()


def test_a_100_question_paper_is_one_insert_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite caps a statement at 999 parameters")
    assert _inserts(100) == 1


@pytest.mark.parametrize("timing", [Quiz.Timing.DRILL, Quiz.Timing.PAPER])
def test_the_first_question_renders_in_as_many_queries_for_100_questions_as_for_10(client, timing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for n in (10, 100):
        quiz = _live(n, timing)
        client.force_login(UserFactory())
        location = client.post(f"/quizzes/{quiz.slug}/start/")["Location"]
        if timing == Quiz.Timing.PAPER:  # a paper opens on its instructions
            assert client.post(f"{location}begin/").status_code == 302
        with CaptureQueriesContext(connection) as captured:
            page = client.get(location)
        assert page.status_code == 200
        assert "Question number 1?" in page.content.decode()
        counts[n] = len(captured)
    assert counts[10] == counts[100], counts
