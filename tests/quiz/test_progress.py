"""FSRS review cards and progress tables, kept up to date as attempts finish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from fsrs import Rating

from quiz.models import QuizStanding, ReviewCard, TopicProgress
from quiz.rebuild import rebuild_progress
from quiz.srs import FAST_SHARE, SLOW_SHARE, rating_for
from tests.factories import UserFactory, play_drill, start_attempt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("outcome", "seconds", "rating"),
    [
        ("wrong", 3, Rating.Again),
        ("unanswered", None, Rating.Again),
        ("correct", 19 * SLOW_SHARE + 0.5, Rating.Hard),
        ("correct", 19 * FAST_SHARE - 0.5, Rating.Easy),
        ("correct", 10, Rating.Good),
    ],
)
def test_each_answer_maps_to_one_fsrs_rating(outcome, seconds, rating):
    elapsed = None if seconds is None else int(seconds * 1000)
    assert rating_for(outcome, elapsed, 19) == rating


def test_finishing_an_attempt_updates_topics_standings_and_cards(student, clock):
    attempt = play_drill(start_attempt(student, timezone.now(), n=3), [True, False, None], clock)
    assert attempt.is_finished
    topic = TopicProgress.objects.get(user=student)
    assert (topic.correct, topic.wrong, topic.unanswered, topic.answered_ms) == (1, 1, 1, 20_000)
    standing = QuizStanding.objects.get(user=student)
    assert standing.best_score == attempt.score and standing.attempts == 1
    cards = {c.fact_slug: c for c in ReviewCard.objects.filter(user=student)}
    assert set(cards) == {"fact-1", "fact-2", "fact-3"}
    assert [cards[f"fact-{i}"].missed for i in (1, 2, 3)] == [0, 1, 1]
    # A fact answered right is due later than one missed.
    assert cards["fact-1"].due > cards["fact-2"].due
    assert all(c.reviews == 1 and c.last_review is not None for c in cards.values())


def test_each_students_cards_are_their_own(clock):
    a, b = UserFactory(), UserFactory()
    play_drill(start_attempt(a, timezone.now(), n=2), [True, True], clock)
    play_drill(start_attempt(b, timezone.now(), n=2), [False, False], clock)
    assert ReviewCard.objects.filter(user=a, missed=0).count() == 2
    assert ReviewCard.objects.filter(user=b, missed=1).count() == 2
    assert len(set(ReviewCard.objects.values_list("pk", flat=True))) == 4


def test_retries_do_not_count_towards_standings(student, clock):
    from quiz.starting import start_mistakes

    first = play_drill(start_attempt(student, timezone.now(), n=2), [False, True], clock)
    retry = start_mistakes(first, timezone.now())
    play_drill(retry, [True], clock)
    standing = QuizStanding.objects.get(user=student)
    assert standing.attempts == 1 and standing.best_score == first.score
    assert TopicProgress.objects.get(user=student).correct == 2  # but the practice counts


def test_rebuilding_gives_the_same_progress_as_folding_attempts_in(clock):
    users = [UserFactory() for _ in range(3)]
    for day in range(4):
        for i, user in enumerate(users):
            picks = [(day + i + k) % 3 != 0 for k in range(3)]
            picks[day % 3] = None if i == 1 else picks[day % 3]
            play_drill(start_attempt(user, timezone.now(), n=3), picks, clock, seconds=2 + 5 * i)
        clock.shift(dt.timedelta(days=1))

    def snapshot():
        return (
            sorted(
                TopicProgress.objects.values_list(
                    "user", "topic_slug", "correct", "wrong", "unanswered", "answered_ms"
                )
            ),
            sorted(
                QuizStanding.objects.values_list(
                    "user", "quiz", "attempts", "best_score", "last_score"
                )
            ),
            sorted(
                (u, f, s, st, round(stab or 0, 6), round(d or 0, 6), due, r, m)
                for u, f, s, st, stab, d, due, r, m in ReviewCard.objects.values_list(
                    "user",
                    "fact_slug",
                    "state",
                    "step",
                    "stability",
                    "difficulty",
                    "due",
                    "reviews",
                    "missed",
                )
            ),
        )

    incremental = snapshot()
    rebuild_progress()
    assert snapshot() == incremental


def test_paper_questions_never_opened_are_not_forgotten_facts(client, student, clock):
    """Only the questions the student opened (or answered) review their facts."""
    client.force_login(student)
    paper = start_attempt(student, timezone.now(), n=6, timing="paper", paper_minutes=30)
    q2 = paper.questions.get(position=2)
    client.get(f"/attempts/{paper.pk}/")  # opens question 1
    client.get(f"/attempts/{paper.pk}/?q=3")  # opens question 3, left unanswered
    client.post(
        f"/attempts/{paper.pk}/answer/", {"question": 2, "choice": q2.correct_token}
    )  # answered without opening its page (a plain form post)
    client.post(f"/attempts/{paper.pk}/submit/")
    cards = {c.fact_slug: c for c in ReviewCard.objects.filter(user=student)}
    assert set(cards) == {"fact-1", "fact-2", "fact-3"}
    assert cards["fact-1"].missed == 1 and cards["fact-3"].missed == 1
    assert cards["fact-2"].missed == 0
    due_today = ReviewCard.objects.filter(
        user=student, due__lte=timezone.now() + dt.timedelta(days=1)
    )
    assert due_today.count() == 2
    # The topic totals still count every question of the paper.
    assert TopicProgress.objects.get(user=student).unanswered == 5
    # Rebuilding from the answers gives the same cards.
    before = list(ReviewCard.objects.filter(user=student).values_list("fact_slug", "missed", "due"))
    rebuild_progress()
    after = list(ReviewCard.objects.filter(user=student).values_list("fact_slug", "missed", "due"))
    assert sorted(before) == sorted(after)


def test_drill_questions_never_served_are_not_forgotten_facts(student, clock, settings):
    drill = start_attempt(student, timezone.now(), n=4)
    drill.current_question(timezone.now())  # serves question 1, which then times out
    clock.shift(settings.DRILL_RESUME_WINDOW + dt.timedelta(minutes=1))
    drill.expire_if_due(timezone.now())
    assert set(ReviewCard.objects.filter(user=student).values_list("fact_slug", flat=True)) == {
        "fact-1"
    }
