"""A paper opens on its instructions; the clock starts only at "I am ready to begin"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from quiz.models import Answer, Attempt, Quiz
from tests.factories import UserFactory, make_questions, start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(student, clock):
    return start_attempt(
        student, timezone.now(), n=4, timing="paper", paper_minutes=10, begin=False
    )


def _begin_url(html: str) -> str:
    return re.search(r'<form method="post" action="([^"]+)" class="begin">', html).group(1)


def test_a_paper_opens_on_its_instructions_with_the_clock_stopped(client, student, paper):
    client.force_login(student)
    html = client.get(f"/attempts/{paper.pk}/").content.decode()
    assert "I am ready to begin" in html
    assert 'id="fact-questions">4<' in html and 'id="fact-time">10 minutes<' in html
    assert "+2 marks" in html and "−2/3 marks" in html
    for label in ("Not visited", "Not answered", "Answered", "Marked for review"):
        assert label in html
    assert "Answered and marked for review" in html
    assert "<kbd>1</kbd>" in html
    assert "Question number 1?" not in html  # no question before the clock runs
    assert 'role="timer"' not in html
    paper.refresh_from_db()
    assert paper.began_at is None
    assert not paper.questions.filter(served_at__isnull=False).exists()


def test_the_instructions_show_the_quizs_own_marking(client, student, clock):
    attempt = start_attempt(
        student,
        timezone.now(),
        n=2,
        timing="paper",
        paper_minutes=5,
        marks_correct=1,
        penalty_numerator=1,
        penalty_denominator=4,
        begin=False,
    )
    client.force_login(student)
    html = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert "+1 marks" in html and "−0.25 marks" in html


def test_reading_the_instructions_costs_no_time(client, student, paper, clock):
    client.force_login(student)
    html = client.get(f"/attempts/{paper.pk}/").content.decode()
    clock.shift(15 * 60)  # longer than the paper itself
    response = client.post(_begin_url(html))
    assert response["Location"].endswith(f"/attempts/{paper.pk}/?q=1")
    paper.refresh_from_db()
    assert paper.began_at == timezone.now() and paper.status == "in_progress"
    assert paper.deadline == timezone.now() + dt.timedelta(minutes=10)
    page = client.get(response["Location"]).content.decode()
    assert 'data-seconds-left="600.000" data-total="600"' in page


def test_pressing_ready_twice_does_not_restart_the_clock(client, student, paper, clock):
    client.force_login(student)
    client.post(f"/attempts/{paper.pk}/begin/")
    paper.refresh_from_db()
    deadline = paper.deadline
    clock.shift(120)
    client.post(f"/attempts/{paper.pk}/begin/")
    paper.refresh_from_db()
    assert paper.deadline == deadline


def test_a_live_tests_window_still_bounds_a_late_start(client, clock):
    now = timezone.now()
    quiz = Quiz.objects.create(
        slug="live",
        title="Live",
        question_count=3,
        timing="paper",
        paper_minutes=30,
        published=True,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(minutes=20),
    )
    quiz.freeze_paper(make_questions(3))
    client.force_login(UserFactory())
    client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.began_at is None and attempt.deadline == quiz.closes_at
    clock.shift(60)
    client.post(f"/attempts/{attempt.pk}/begin/")
    attempt.refresh_from_db()
    assert attempt.deadline == quiz.closes_at  # 19 minutes, not 30


def test_an_answer_before_the_start_is_refused_without_saving(client, student, paper):
    client.force_login(student)
    q1 = paper.questions.get(position=1)
    response = client.post(
        f"/attempts/{paper.pk}/answer/", {"question": 1, "choice": q1.correct_token}
    )
    assert response["Location"] == f"/attempts/{paper.pk}/"
    assert not Answer.objects.filter(question=q1).exists()


def test_an_unbegun_paper_waits_but_not_for_ever(student, paper, clock):
    from django.core.management import call_command

    clock.shift(3600)
    call_command("finish_expired_attempts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    paper.refresh_from_db()
    assert paper.status == "in_progress"
    clock.shift(dt.timedelta(days=3))
    call_command("finish_expired_attempts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    paper.refresh_from_db()
    assert paper.status == "finished" and paper.unanswered_count == 4


def test_a_drill_has_no_instructions_and_its_clock_runs_from_the_start(client, student, clock):
    drill = start_attempt(student, timezone.now(), n=2)
    assert drill.began_at == drill.started_at
    client.force_login(student)
    assert "Question number 1?" in client.get(f"/attempts/{drill.pk}/").content.decode()


def test_begin_belongs_to_the_owner_and_takes_only_post(client, student, paper):
    url = f"/attempts/{paper.pk}/begin/"
    assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    client.force_login(student)
    assert client.get(url).status_code == 405
    paper.refresh_from_db()
    assert paper.began_at is None


def test_begin_after_the_paper_finished_shows_the_results(client, student, paper, clock):
    client.force_login(student)
    paper.finish(timezone.now())
    response = client.post(f"/attempts/{paper.pk}/begin/")
    assert response["Location"] == f"/attempts/{paper.pk}/results/"
