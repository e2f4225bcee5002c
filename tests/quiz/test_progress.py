"""FSRS review cards and progress tables, kept up to date as attempts finish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from fsrs import Rating

from quiz.models import QuizStanding, ReviewCard, TopicProgress
from quiz.srs import FAST_SHARE, SLOW_SHARE, rating_for, rebuild_progress
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
    from quiz.flows import start_mistakes

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
