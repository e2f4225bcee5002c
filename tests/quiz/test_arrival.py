"""Deadlines judged at arrival (issue 12, item 4): an answer that reached nginx before the
deadline counts even when it reached the view after a queue. nginx's X-Request-Start is
believed only from TRUSTED_PROXY_IPS and only within REQUEST_START_MAX_AGE."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from quiz.models import Answer, Attempt
from tests.factories import start_attempt

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # settings.TRUSTED_PROXY_IPS' default
DIRECT = "203.0.113.7"  # a client reaching gunicorn without nginx


@pytest.fixture
def late_paper(client, student, clock):
    """A 10-minute paper, and the clock 10 s past its deadline (beyond the 2 s grace)."""
    attempt = start_attempt(student, timezone.now(), n=3, timing="paper", paper_minutes=10)
    client.force_login(student)
    clock.shift(attempt.deadline - timezone.now() + dt.timedelta(seconds=10))
    return attempt


def _answer(client, attempt: Attempt, remote: str, stamp: str | None):
    question = attempt.questions.get(position=1)
    headers = {"REMOTE_ADDR": remote}
    if stamp is not None:
        headers["HTTP_X_REQUEST_START"] = stamp
    return client.post(
        f"/attempts/{attempt.pk}/answer/",
        {"question": 1, "choice": question.options[0]["token"]},
        **headers,
    )


def _t(moment: dt.datetime) -> str:
    return f"t={moment.timestamp():.3f}"  # nginx's "t=${msec}"


def _recorded(attempt: Attempt) -> bool:
    return Answer.objects.filter(question__attempt=attempt, chosen_token__gt="").exists()


def test_an_answer_that_reached_the_proxy_in_time_counts(client, late_paper):
    in_time = late_paper.deadline - dt.timedelta(seconds=5)
    _answer(client, late_paper, PROXY, _t(in_time))
    assert _recorded(late_paper)


def test_a_forged_stamp_from_a_direct_client_is_ignored(client, late_paper):
    in_time = late_paper.deadline - dt.timedelta(seconds=5)
    response = _answer(client, late_paper, DIRECT, _t(in_time))
    assert response.status_code == 302 and "/results/" in response["Location"]
    assert not _recorded(late_paper)
    late_paper.refresh_from_db()
    assert late_paper.status == Attempt.Status.FINISHED


def test_a_stamp_older_than_the_limit_counts_only_that_far_back(client, late_paper, settings):
    settings.REQUEST_START_MAX_AGE = dt.timedelta(seconds=5)  # the deadline was 10 s ago
    _answer(client, late_paper, PROXY, _t(late_paper.deadline - dt.timedelta(seconds=5)))
    assert not _recorded(late_paper)


@pytest.mark.parametrize("stamp", ["t=banana", "", "t=1e400", "t=-99999999999999"])
def test_a_malformed_stamp_is_the_server_clock(client, late_paper, stamp):
    response = _answer(client, late_paper, PROXY, stamp)
    assert response.status_code == 302
    assert not _recorded(late_paper)


def test_arrival_is_never_in_the_future(rf, clock, settings):
    from quiz.middleware import arrival_time

    now = timezone.now()
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_REQUEST_START=_t(now + dt.timedelta(hours=1)))
    assert arrival_time(request, now) == now
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_REQUEST_START=_t(now - dt.timedelta(seconds=3)))
    assert arrival_time(request, now) == now - dt.timedelta(seconds=3)


def test_submit_is_judged_at_arrival_too(client, late_paper):
    """A paper submitted in time but processed late closes at its arrival, on time."""
    arrived = late_paper.deadline - dt.timedelta(seconds=5)
    client.post(
        f"/attempts/{late_paper.pk}/submit/", REMOTE_ADDR=PROXY, HTTP_X_REQUEST_START=_t(arrived)
    )
    late_paper.refresh_from_db()
    assert late_paper.finished_at == arrived
