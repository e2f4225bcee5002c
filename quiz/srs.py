"""Spaced review of facts with FSRS: how an answer rates each fact it was built from, and
one review applied to a card. Pure: no database (``quiz.models.progress`` stores cards).

Every answer is a review of each fact its question was built from. The mapping from an
answer to an FSRS rating lives here and nowhere else:

- wrong, or unanswered (timed out)            → Again
- correct, after more than 80% of the time    → Hard
- correct, within 40% of the time             → Easy
- correct otherwise                           → Good

"The time" is the drill's limit per question, or for a paper its time divided by its
questions (Prelims: 72 s; ``quiz.clock.time_per_question``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

from quiz.scoring import Outcome

SLOW_SHARE = 0.8
FAST_SHARE = 0.4

# Fuzzing randomises intervals; we want the same history to give the same schedule.
SCHEDULER = Scheduler(enable_fuzzing=False)

# What a review changes on a card (saved in bulk after the reviews).
CARD_STATE = ["state", "step", "stability", "difficulty", "due", "last_review", "reviews", "missed"]


def rating_for(outcome: str, elapsed_ms: int | None, limit_seconds: float) -> Rating:
    if outcome != Outcome.CORRECT:
        return Rating.Again
    if elapsed_ms is None or limit_seconds <= 0:
        return Rating.Good
    share = elapsed_ms / 1000 / limit_seconds
    if share > SLOW_SHARE:
        return Rating.Hard
    if share < FAST_SHARE:
        return Rating.Easy
    return Rating.Good


def is_review(outcome: str, served_at: datetime | None) -> bool:
    """Whether an answer tells us anything about the student's memory of its facts. A
    question the student never saw (a paper question never opened, a drill question never
    served before the attempt ended) is not a forgotten fact: it rates no card."""
    return outcome != Outcome.UNANSWERED or served_at is not None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def review(card_row, rating: Rating, when: datetime, elapsed_ms: int | None) -> None:
    """Apply one FSRS review to a ReviewCard row in memory (the caller saves it)."""
    assert card_row.pk is not None, "save the card first: its primary key is the FSRS card_id"
    card = Card(
        card_id=card_row.pk,
        state=State(card_row.state),
        step=card_row.step,
        stability=card_row.stability,
        difficulty=card_row.difficulty,
        due=_utc(card_row.due),
        last_review=_utc(card_row.last_review) if card_row.last_review else None,
    )
    card, _log = SCHEDULER.review_card(card, rating, _utc(when), elapsed_ms)
    card_row.state = card.state.value
    card_row.step = card.step
    card_row.stability = card.stability
    card_row.difficulty = card.difficulty
    card_row.due = card.due
    card_row.last_review = card.last_review
    card_row.reviews += 1
    if rating == Rating.Again:
        card_row.missed += 1
