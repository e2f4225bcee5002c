"""Submitting a paper: a summary of where every question stands and a confirmation; time
running out submits without asking."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.factories import UserFactory, start_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(student, clock):
    return start_attempt(student, timezone.now(), n=6, timing="paper", paper_minutes=10)


def _press(client, attempt, position, action, token=""):
    client.get(f"/attempts/{attempt.pk}/?q={position}")
    data = {"question": position, "action": action, "choice": token}
    client.post(f"/attempts/{attempt.pk}/answer/", data)


def _count(html, state):
    return int(re.search(rf'id="summary-{state}">(\d+)<', html).group(1))


def test_the_summary_counts_every_state_and_asks_to_confirm(client, student, paper):
    client.force_login(student)
    q = {x.position: x for x in paper.questions.all()}
    _press(client, paper, 1, "save", q[1].correct_token)
    _press(client, paper, 2, "save_mark", q[2].tokens()[0])
    _press(client, paper, 3, "mark")
    client.get(f"/attempts/{paper.pk}/?q=4")  # opened, left unanswered
    paper_html = client.get(f"/attempts/{paper.pk}/?q=4").content.decode()
    summary_url = re.search(r'href="([^"]+)">Submit paper<', paper_html).group(1)
    html = client.get(summary_url).content.decode()
    counts = {
        s: _count(html, s)
        for s in ("answered", "not_answered", "marked", "answered_marked", "not_visited")
    }
    assert counts == {
        "answered": 1,
        "not_answered": 1,
        "marked": 1,
        "answered_marked": 1,
        "not_visited": 2,
    }
    assert "Yes, submit the paper" in html and "No, back to the paper" in html
    # Every question not simply answered is a link back to it.
    assert f'href="/attempts/{paper.pk}/?q=5" aria-label="Question 5 (not visited)"' in html
    assert f'href="/attempts/{paper.pk}/?q=3" aria-label="Question 3 (marked for review)"' in html
    assert 'aria-label="Question 1 (' not in html
    paper.refresh_from_db()
    assert paper.status == "in_progress"  # the summary submits nothing
    confirm = re.findall(r'<form method="post" action="([^"]+)">', html)[-1]
    assert client.post(confirm)["Location"] == f"/attempts/{paper.pk}/results/"
    paper.refresh_from_db()
    assert paper.status == "finished" and paper.correct_count == 1


def test_the_paper_and_summary_carry_a_time_out_form_that_submits_without_asking(
    client, student, paper
):
    client.force_login(student)
    for url in (f"/attempts/{paper.pk}/", f"/attempts/{paper.pk}/summary/"):
        html = client.get(url).content.decode()
        assert 'data-expire-form="submit-form"' in html
        form = re.search(r'<form method="post" action="([^"]+)" id="submit-form"[^>]*>', html)
        assert form.group(1) == f"/attempts/{paper.pk}/submit/"
        assert "data-confirm" not in form.group(0)


def test_the_summary_after_time_is_up_goes_to_the_results(client, student, paper, clock):
    client.force_login(student)
    clock.shift(700)
    response = client.get(f"/attempts/{paper.pk}/summary/")
    assert response["Location"] == f"/attempts/{paper.pk}/results/"


def test_the_summary_of_a_drill_or_an_unbegun_paper_goes_back_to_it(client, student, clock):
    client.force_login(student)
    drill = start_attempt(student, timezone.now(), n=2)
    waiting = start_attempt(student, timezone.now(), n=2, timing="paper", begin=False)
    for attempt in (drill, waiting):
        response = client.get(f"/attempts/{attempt.pk}/summary/")
        assert response["Location"] == f"/attempts/{attempt.pk}/"


def test_the_summary_is_the_owners_and_takes_only_get(client, student, paper):
    url = f"/attempts/{paper.pk}/summary/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(student)
    assert client.post(url).status_code == 405


def test_the_summary_costs_a_fixed_number_of_queries(
    client, student, clock, django_assert_num_queries
):
    attempt = start_attempt(student, timezone.now(), n=40, timing="paper", paper_minutes=60)
    client.force_login(student)
    with django_assert_num_queries(4):  # session, user, attempt, questions with answers
        assert client.get(f"/attempts/{attempt.pk}/summary/").status_code == 200
