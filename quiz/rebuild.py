"""Recompute every progress table from the answers themselves (bulk loads, repairs).

Gives the same rows as folding each attempt in with ``quiz.models.progress.record_progress``
(a test checks both ways agree)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from quiz import clock, srs
from quiz.models import Answer, Attempt, Quiz, QuizStanding, ReviewCard, TopicProgress
from quiz.models.progress import create_cards
from quiz.scoring import Outcome


def rebuild_progress(user_ids=None, batch: int = 5000) -> None:
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
                correct=r["correct"],
                wrong=r["wrong"],
                unanswered=r["unanswered"],
                answered_ms=r["ms"] or 0,
            )
            for r in answers.values("user", "topic_slug")
            .annotate(
                **Answer.objects.tally_counts(),
                ms=Sum("elapsed_ms", filter=~Q(outcome=Outcome.UNANSWERED)),
            )
            .order_by()
        )

        QuizStanding.objects.filter(**scope).delete()
        standing = attempts.filter(retry_of__isnull=True).exclude(
            quiz__kind__in=Quiz.PERSONAL_KINDS
        )
        ranked = (
            standing.values("user", "quiz")
            .annotate(n=Count("pk"), best=Max("score"), last_at=Max("started_at"))
            .order_by()
        )
        last_scores = {
            (a["user_id"], a["quiz_id"], a["started_at"]): a["score"]
            for a in standing.values("user_id", "quiz_id", "started_at", "score")
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
    user_id = history[0][0]
    history = [row for row in history if srs.is_review(row[2], row[12])]
    first_seen: dict[str, object] = {}
    for row in history:
        for slug in row[1]:
            first_seen.setdefault(slug, row[7])
    cards = create_cards(user_id, first_seen)
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
        limit = clock.time_per_question(
            is_drill=timing == Quiz.Timing.DRILL,
            per_question=per_q,
            started=started,
            deadline=deadline,
            questions=c + w + u,
        )
        rating = srs.rating_for(outcome, elapsed, limit)
        for slug in slugs:
            srs.review(cards[slug], rating, when, elapsed)
    ReviewCard.objects.bulk_update(cards.values(), srs.CARD_STATE, batch_size=2000)
