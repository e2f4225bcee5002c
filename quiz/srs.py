"""Spaced review of facts with FSRS, and the per-student progress tables.

Every answer is a review of each fact its question was built from. The mapping from an
answer to an FSRS rating lives here and nowhere else:

- wrong, or unanswered (timed out)            → Again
- correct, after more than 80% of the time    → Hard
- correct, within 40% of the time             → Easy
- correct otherwise                           → Good

"The time" is the drill's limit per question, or for a paper its time divided by its
questions (Prelims: 72 s).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from fsrs import Card, Rating, Scheduler, State

SLOW_SHARE = 0.8
FAST_SHARE = 0.4

# Fuzzing randomises intervals; we want the same history to give the same schedule.
SCHEDULER = Scheduler(enable_fuzzing=False)


def rating_for(outcome: str, elapsed_ms: int | None, limit_seconds: float) -> Rating:
    if outcome != "correct":
        return Rating.Again
    if elapsed_ms is None or limit_seconds <= 0:
        return Rating.Good
    share = elapsed_ms / 1000 / limit_seconds
    if share > SLOW_SHARE:
        return Rating.Hard
    if share < FAST_SHARE:
        return Rating.Easy
    return Rating.Good


def is_review(outcome: str, served_at) -> bool:
    """Whether an answer tells us anything about the student's memory of its facts. A
    question the student never saw (a paper question never opened, a drill question never
    served before the attempt ended) is not a forgotten fact: it rates no card."""
    return outcome != "unanswered" or served_at is not None


def limit_seconds(attempt) -> float:
    return time_per_question(
        attempt.timing,
        attempt.seconds_per_question,
        attempt.started_at,
        attempt.deadline,
        attempt.correct_count + attempt.wrong_count + attempt.unanswered_count,
    )


def time_per_question(timing: str, per_question: int, started, deadline, questions: int) -> float:
    """A drill's limit per question, or a paper's time shared out over its questions."""
    if timing == "drill":
        return float(per_question)
    return (deadline - started).total_seconds() / questions if questions else 0.0


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


def record_progress(attempt) -> None:
    """Fold a just-finished attempt into the student's progress (inside its transaction)."""
    from quiz.models import QuizStanding, ReviewCard, TopicProgress

    answers = list(
        attempt.answers.select_related("question").order_by("answered_at", "question__position")
    )
    user_id = attempt.user_id

    topics: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for answer in answers:
        row = topics[answer.topic_slug]
        row[answer.outcome] += 1
        if answer.outcome != "unanswered":
            row["answered_ms"] += answer.elapsed_ms or 0
    for topic, delta in topics.items():
        _add_topic(TopicProgress, user_id, topic, delta)

    limit = limit_seconds(attempt)
    answers = [a for a in answers if is_review(a.outcome, a.question.served_at)]
    slugs = sorted({s for a in answers for s in a.question.fact_slugs})
    cards = _lock_cards(user_id, slugs)
    if len(cards) < len(slugs):
        # Another finish by this student (a second tab) may create the same cards at the
        # same moment: insert what is missing, skipping rows it created, then lock them all.
        ReviewCard.objects.bulk_create(
            [
                ReviewCard(user_id=user_id, fact_slug=s, due=attempt.started_at)
                for s in slugs
                if s not in cards
            ],
            ignore_conflicts=True,
        )
        cards = _lock_cards(user_id, slugs)
    for answer in answers:
        rating = rating_for(answer.outcome, answer.elapsed_ms, limit)
        for slug in answer.question.fact_slugs:
            review(cards[slug], rating, answer.answered_at, answer.elapsed_ms)
    ReviewCard.objects.bulk_update(cards.values(), CARD_STATE, batch_size=2000)

    if attempt.retry_of_id is None and attempt.quiz.slug not in NON_STANDING_QUIZZES:
        # Insert-or-skip, then lock: two folds at once must not both create the row.
        QuizStanding.objects.bulk_create(
            [
                QuizStanding(
                    user_id=user_id,
                    quiz_id=attempt.quiz_id,
                    attempts=0,
                    best_score=attempt.score,
                    last_score=attempt.score,
                )
            ],
            ignore_conflicts=True,
        )
        standing = QuizStanding.objects.select_for_update().get(
            user_id=user_id, quiz_id=attempt.quiz_id
        )
        standing.attempts += 1
        standing.last_score = attempt.score
        standing.best_score = max(standing.best_score, attempt.score)
        standing.save(update_fields=["attempts", "last_score", "best_score"])


# Personal review sets have no common paper to rank students on.
NON_STANDING_QUIZZES = frozenset({"review-due"})


def _add_topic(model, user_id: int, topic: str, delta: dict[str, int]) -> None:
    fields = {k: delta.get(k, 0) for k in ("correct", "wrong", "unanswered", "answered_ms")}
    changed = model.objects.filter(user_id=user_id, topic_slug=topic).update(
        **{k: F(k) + v for k, v in fields.items()}
    )
    if changed:
        return
    try:
        with transaction.atomic():
            model.objects.create(user_id=user_id, topic_slug=topic, **fields)
    except IntegrityError:  # created concurrently: add to it instead
        model.objects.filter(user_id=user_id, topic_slug=topic).update(
            **{k: F(k) + v for k, v in fields.items()}
        )


def rebuild_progress(user_ids=None, batch: int = 5000) -> None:
    """Recompute every progress table from the answers themselves (bulk loads, repairs).
    Gives the same rows as folding each attempt in with ``record_progress``."""
    from django.db.models import Count, Max, Q, Sum

    from quiz.models import Answer, Attempt, QuizStanding, ReviewCard, TopicProgress

    # Live tests still open are folded in when they close, as record_progress does.
    attempts = Attempt.objects.released(timezone.now())
    answers = Answer.objects.filter(attempt__in=attempts)
    if user_ids is not None:
        answers = answers.filter(user_id__in=user_ids)
        attempts = attempts.filter(user_id__in=user_ids)
        scope = {"user_id__in": user_ids}
    else:
        scope = {}
    with transaction.atomic():
        TopicProgress.objects.filter(**scope).delete()
        TopicProgress.objects.bulk_create(
            TopicProgress(
                user_id=r["user"],
                topic_slug=r["topic_slug"],
                correct=r["c"],
                wrong=r["w"],
                unanswered=r["u"],
                answered_ms=r["ms"] or 0,
            )
            for r in answers.values("user", "topic_slug")
            .annotate(
                c=Count("pk", filter=Q(outcome="correct")),
                w=Count("pk", filter=Q(outcome="wrong")),
                u=Count("pk", filter=Q(outcome="unanswered")),
                ms=Sum("elapsed_ms", filter=~Q(outcome="unanswered")),
            )
            .order_by()
        )

        QuizStanding.objects.filter(**scope).delete()
        ranked = (
            attempts.filter(retry_of__isnull=True)
            .exclude(quiz__slug__in=NON_STANDING_QUIZZES)
            .values("user", "quiz")
            .annotate(n=Count("pk"), best=Max("score"), last_at=Max("started_at"))
            .order_by()
        )
        last_scores = {
            (a["user_id"], a["quiz_id"], a["started_at"]): a["score"]
            for a in attempts.filter(retry_of__isnull=True).values(
                "user_id", "quiz_id", "started_at", "score"
            )
        }
        QuizStanding.objects.bulk_create(
            QuizStanding(
                user_id=r["user"],
                quiz_id=r["quiz"],
                attempts=r["n"],
                best_score=r["best"],
                last_score=last_scores[(r["user"], r["quiz"], r["last_at"])],
            )
            for r in ranked
        )

        ReviewCard.objects.filter(**scope).delete()
        rows = answers.order_by("user_id", "answered_at", "question__position").values_list(
            "user_id",
            "question__fact_slugs",
            "outcome",
            "elapsed_ms",
            "answered_at",
            "attempt__timing",
            "attempt__seconds_per_question",
            "attempt__started_at",
            "attempt__deadline",
            "attempt__correct_count",
            "attempt__wrong_count",
            "attempt__unanswered_count",
            "question__served_at",
        )
        history: list[tuple] = []
        for row in rows.iterator(chunk_size=batch):
            if history and row[0] != history[-1][0]:
                _replay(history)
                history = []
            history.append(row)
        if history:
            _replay(history)
        attempts.filter(progress_recorded=False).update(progress_recorded=True)


def _replay(history: list[tuple]) -> None:
    """One student's answers in time order → their review cards (created first, so each
    FSRS card carries our primary key as its id)."""
    from quiz.models import ReviewCard

    user_id = history[0][0]
    history = [row for row in history if is_review(row[2], row[12])]
    first_seen: dict[str, object] = {}
    for row in history:
        for slug in row[1]:
            first_seen.setdefault(slug, row[7])
    cards = _create_cards(user_id, first_seen)
    for (
        _user,
        slugs,
        outcome,
        elapsed,
        when,
        timing,
        per_q,
        started,
        deadline,
        c,
        w,
        u,
        _,
    ) in history:
        limit = time_per_question(timing, per_q, started, deadline, c + w + u)
        rating = rating_for(outcome, elapsed, limit)
        for slug in slugs:
            review(cards[slug], rating, when, elapsed)
    ReviewCard.objects.bulk_update(cards.values(), CARD_STATE, batch_size=2000)


def _lock_cards(user_id: int, slugs: list[str]) -> dict:
    """The student's cards for ``slugs``, locked in slug order (so two finishes wait for
    each other instead of deadlocking, and the second reviews the first's result)."""
    from quiz.models import ReviewCard

    rows = ReviewCard.objects.select_for_update().filter(user_id=user_id, fact_slug__in=slugs)
    return {c.fact_slug: c for c in rows.order_by("fact_slug")}


# What a review changes on a card (saved in bulk after replaying the reviews).
CARD_STATE = ["state", "step", "stability", "difficulty", "due", "last_review", "reviews", "missed"]


def _create_cards(user_id: int, first_due: dict) -> dict:
    """New cards for ``first_due`` ({fact slug: initial due}), saved first so that each has
    the primary key FSRS will use as its card_id."""
    from quiz.models import ReviewCard

    created = ReviewCard.objects.bulk_create(
        [ReviewCard(user_id=user_id, fact_slug=s, due=due) for s, due in first_due.items()],
        batch_size=2000,
    )
    if any(c.pk is None for c in created):  # a backend that cannot return new keys
        return {
            c.fact_slug: c
            for c in ReviewCard.objects.filter(user_id=user_id, fact_slug__in=list(first_due))
        }
    return {c.fact_slug: c for c in created}
