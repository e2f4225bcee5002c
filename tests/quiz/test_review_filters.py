"""The review's filters (all, wrong, unanswered, bookmarked) and the results page's accuracy
per topic."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from content.generator import Question
from quiz.models import Attempt, Bookmark
from tests.factories import QuizFactory, TopicFactory, make_questions, start_attempt

pytestmark = pytest.mark.django_db


def _played(user, picks, questions=None):
    """A finished paper; picks per position: 'right', 'wrong' or None (left blank)."""
    now = timezone.now()
    if questions is None:
        attempt = start_attempt(user, now, n=len(picks), timing="paper", paper_minutes=30)
    else:
        quiz = QuizFactory(question_count=len(questions), timing="paper", paper_minutes=30)
        attempt = Attempt.start(user, quiz, now, questions, seed=3)
        attempt.begin(now)
    for position, pick in enumerate(picks, 1):
        if pick is None:
            continue
        q = attempt.questions.get(position=position)
        token = (
            q.correct_token
            if pick == "right"
            else next(t for t in q.tokens() if t != q.correct_token)
        )
        attempt.answer(Attempt.Intent.SAVE, position, token, now)
    attempt.finish(now)
    return attempt


def _shown(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="card review [a-z]+" id="q(\d+)"', html)]


def test_each_filter_shows_its_questions_and_every_tab_its_count(client, student):
    attempt = _played(student, ["right", "wrong", None, "wrong", "right"])
    Bookmark.toggle(student, attempt.questions.get(position=5), timezone.now())
    client.force_login(student)
    url = f"/attempts/{attempt.pk}/review/"
    assert _shown(client.get(url).content.decode()) == [1, 2, 3, 4, 5]
    assert _shown(client.get(url + "?show=wrong").content.decode()) == [2, 4]
    assert _shown(client.get(url + "?show=unanswered").content.decode()) == [3]
    html = client.get(url + "?show=bookmarked").content.decode()
    assert _shown(html) == [5]
    assert '<a href="?show=bookmarked" aria-current="page">Bookmarked' in html
    for label, n in [("All", 5), ("Wrong", 2), ("Unanswered", 1), ("Bookmarked", 1)]:
        assert f'{label} <span class="count">({n})</span>' in html


def test_an_unknown_filter_shows_everything(client, student):
    attempt = _played(student, ["right", "wrong"])
    client.force_login(student)
    html = client.get(f"/attempts/{attempt.pk}/review/?show=<script>").content.decode()
    assert _shown(html) == [1, 2]
    assert "<script>" not in html.split("<main", 1)[1]


def test_an_empty_filter_says_so_and_links_back_to_all(client, student):
    attempt = _played(student, ["right", "right"])
    client.force_login(student)
    url = f"/attempts/{attempt.pk}/review/"
    assert "No wrong answers in this attempt." in client.get(url + "?show=wrong").content.decode()
    html = client.get(url + "?show=bookmarked").content.decode()
    assert "No question of this attempt is bookmarked." in html
    assert '<a href="?show=all">Show all questions</a>' in html


@pytest.mark.parametrize("n", [2, 12])
def test_the_review_costs_the_same_queries_however_long_the_attempt(
    client, student, django_assert_num_queries, n
):
    attempt = _played(student, ["wrong"] * n)
    for q in attempt.questions.all()[:2]:
        Bookmark.toggle(student, q, timezone.now())
    client.force_login(student)
    # session, user, attempt, its questions with answers, bookmarks, reports
    with django_assert_num_queries(6):
        html = client.get(f"/attempts/{attempt.pk}/review/?show=wrong").content.decode()
    assert len(_shown(html)) == n


def _in_topic(questions: list[Question], topic: str, positions) -> list[Question]:
    for i in positions:
        q = questions[i]
        questions[i] = Question(**{**q.__dict__, "topic": topic})
    return questions


def test_results_show_accuracy_per_topic_weakest_first(client, student):
    TopicFactory(slug="defence", name="Defence agreements")
    TopicFactory(slug="trade", name="Trade and economy")
    questions = _in_topic(make_questions(5), "defence", [0, 1, 2])
    questions = _in_topic(questions, "trade", [3, 4])
    attempt = _played(student, ["right", "right", "wrong", "wrong", None], questions)
    client.force_login(student)
    html = client.get(f"/attempts/{attempt.pk}/results/").content.decode()
    section = html[html.index('<h2 id="by-topic">By topic</h2>') :]
    section = section[: section.index("</section>")]
    rows = re.findall(
        r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>"
        r"<td>(\d+)</td><td>([^<]+)</td></tr>",
        section,
    )
    assert rows == [
        ("Trade and economy", "2", "0", "1", "1", "0%"),
        ("Defence agreements", "3", "2", "1", "0", "67%"),
    ]
