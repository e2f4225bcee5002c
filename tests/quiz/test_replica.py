"""Read-only pages read from a replica (quiz.db_router): with a ``replica`` alias configured,
the dashboard, item analysis and rank lists read the quiz and content tables through it;
sessions, users, writes and every other page use the primary.

The replica here is a second alias (its own connection) to the test database, as settings
configure it for the suite (TEST MIRROR); rows must be committed for it to see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quiz.models import Quiz
from tests.factories import UserFactory, make_questions, play_drill, start_attempt

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="module", autouse=True)
def _replica_alias():
    """A ``replica`` alias to the test database, as DATABASE_REPLICA_URL adds it (a TEST
    MIRROR of default). Module-wide, so it exists before each test's database set-up."""
    connections.settings["replica"] = {
        **connections["default"].settings_dict,
        "TEST": {"MIRROR": "default"},
    }
    yield
    connections["replica"].close()
    if hasattr(connections["replica"], "close_pool"):  # PostgreSQL with DB_POOL
        connections["replica"].close_pool()
    del connections.settings["replica"]
    del connections._connections.replica


@pytest.fixture
def replica():
    return connections["replica"]


def _tables(captured) -> set[str]:
    import re

    return {t for q in captured.captured_queries for t in re.findall(r'FROM "(\w+)"', q["sql"])}


@pytest.fixture
def finished(clock):
    user = UserFactory(username="reader")
    play_drill(start_attempt(user, timezone.now(), n=3), [True, False, True], clock)
    return user


def test_the_dashboard_reads_the_quiz_tables_from_the_replica(client, replica, finished):
    client.force_login(finished)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as copy,
    ):
        page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "quiz_attempt" in _tables(copy)
    # The session and the user come from the primary (a login is seen at once) ...
    assert {"django_session", "auth_user"} >= _tables(primary) - {"quiz_profile"}
    # ... and nothing of the student's record does.
    assert not {t for t in _tables(primary) if t.startswith(("quiz_attempt", "quiz_answer"))}


def test_item_analysis_reads_from_the_replica(client, replica, finished):
    client.force_login(UserFactory(is_staff=True))
    with CaptureQueriesContext(replica) as copy:
        assert client.get("/analytics/items/").status_code == 200
    assert "quiz_answer" in _tables(copy)


def test_answering_never_touches_the_replica(client, replica, student):
    attempt = start_attempt(student, timezone.now(), n=3)
    client.force_login(student)
    question = attempt.current_question(timezone.now())
    with CaptureQueriesContext(replica) as copy:
        client.get(attempt.get_absolute_url())
        client.post(
            f"/attempts/{attempt.pk}/answer/",
            {"question": question.position, "choice": question.correct_token},
        )
    assert copy.captured_queries == []


def test_a_rank_list_that_publishes_results_reads_its_own_writes(client, replica, clock):
    """Opening the rank list after the close publishes the results (finishes the sittings,
    folds them into progress: re-checked under row locks on the primary), then lists the
    sittings: that list comes from the primary, never a replica that may lag."""
    now = timezone.now()
    quiz = Quiz.objects.create(
        slug="mock",
        title="Mock",
        question_count=2,
        published=True,
        opens_at=now,
        closes_at=now + dt.timedelta(hours=1),
    )
    quiz.freeze_paper(make_questions(2))
    client.force_login(UserFactory())
    client.post("/quizzes/mock/start/")
    clock.shift(dt.timedelta(hours=2))

    def listing(captured) -> bool:  # the rank list's query: sittings with display names
        return any("quiz_profile" in q["sql"] for q in captured.captured_queries)

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as copy,
    ):
        page = client.get("/quizzes/mock/ranks/")
    assert page.status_code == 200
    assert listing(primary) and not listing(copy)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as copy,
    ):
        client.get("/quizzes/mock/ranks/")  # published: nothing to write, a plain read
    assert listing(copy) and not listing(primary)
