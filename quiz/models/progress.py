"""What each student knows: per-topic totals, best scores per quiz, and a spaced-repetition
card per (student, fact). Kept up to date when an attempt finishes (``record_progress``), so
dashboards read a few small rows instead of aggregating a student's whole history;
``quiz.rebuild`` recomputes them from the answers."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from quiz import clock, srs
from quiz.scoring import Outcome


class TopicProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_progress"
    )
    topic_slug = models.CharField(max_length=80)
    correct = models.PositiveIntegerField(default=0)
    wrong = models.PositiveIntegerField(default=0)
    unanswered = models.PositiveIntegerField(default=0)
    # Time spent on answered (correct or wrong) questions.
    answered_ms = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic_slug"], name="quiz_topicprogress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic_slug}"

    @property
    def answered(self) -> int:
        return self.correct + self.wrong

    @property
    def seen(self) -> int:
        return self.correct + self.wrong + self.unanswered


def _count(queryset) -> Subquery:
    return Subquery(
        queryset.order_by().values("quiz").annotate(c=Count("pk")).values("c")[:1],
        output_field=IntegerField(),
    )


class QuizStandingQuerySet(models.QuerySet):
    def with_percentiles(self) -> QuizStandingQuerySet:
        """Annotate ``at_or_below`` (students on the quiz whose best is at most this one)
        and ``students`` (all students on the quiz), in the same query."""
        return self.annotate(
            at_or_below=Coalesce(
                _count(
                    QuizStanding.objects.filter(
                        quiz=OuterRef("quiz"), best_score__lte=OuterRef("best_score")
                    )
                ),
                0,
            ),
            students=Coalesce(_count(QuizStanding.objects.filter(quiz=OuterRef("quiz"))), 0),
        )


class QuizStanding(models.Model):
    """A student's best and latest score on a quiz (first attempts only, not retries)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standings"
    )
    quiz = models.ForeignKey("quiz.Quiz", on_delete=models.CASCADE, related_name="standings")
    attempts = models.PositiveIntegerField(default=0)
    best_score = models.DecimalField(max_digits=8, decimal_places=2)
    last_score = models.DecimalField(max_digits=8, decimal_places=2)

    objects = QuizStandingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz"], name="quiz_standing_once"),
        ]
        indexes = [
            # Percentile: how many students on this quiz scored at or below a best score.
            models.Index(fields=["quiz", "best_score"], name="quiz_standing_quiz_best"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz}: {self.best_score}"


class ReviewCardQuerySet(models.QuerySet):
    def due_counts(self, end_of_today, review_quiz) -> dict:
        """How many cards fall due by the end of today and within the week after, and the
        slug of the published review-due quiz (or None) to start them with, in one query:
        ``review_quiz`` is a queryset of such quizzes."""
        return self.aggregate(
            today=Count("pk", filter=Q(due__lt=end_of_today)),
            week=Count("pk", filter=Q(due__lt=end_of_today + timedelta(days=7))),
            # MAX of one scalar subquery: it rides along in the same SELECT.
            review_slug=Max(Subquery(review_quiz.values("slug")[:1])),
        )


class ReviewCard(models.Model):
    """FSRS state of one (student, fact) pair. Our primary key is the FSRS card_id: FSRS's
    default id is a millisecond timestamp, which collides across workers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    fact_slug = models.CharField(max_length=120)
    state = models.PositiveSmallIntegerField(default=1)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    # Reviews rated Again (a wrong answer or a time-out): "the facts you miss most".
    missed = models.PositiveIntegerField(default=0)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "fact_slug"], name="quiz_reviewcard_once"),
        ]
        indexes = [
            # Dashboard due counts and the "Review due" quiz.
            models.Index(fields=["user", "due"], name="quiz_reviewcard_user_due"),
            # Dashboard: the facts a student misses most.
            models.Index(fields=["user", "-missed"], name="quiz_reviewcard_user_missed"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.fact_slug} (due {self.due:%Y-%m-%d})"


def record_progress(attempt) -> None:
    """Fold a just-finished attempt into the student's progress (inside its transaction,
    which holds the attempt's row lock)."""
    answers = list(
        attempt.answers.select_related("question").order_by("answered_at", "question__position")
    )
    user_id = attempt.user_id

    topics: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for answer in answers:
        row = topics[answer.topic_slug]
        row[answer.outcome] += 1
        if answer.outcome != Outcome.UNANSWERED:
            row["answered_ms"] += answer.elapsed_ms or 0
    for topic, delta in topics.items():
        _add_topic(user_id, topic, delta)

    limit = clock.time_per_question(
        is_drill=attempt.is_drill,
        per_question=attempt.seconds_per_question,
        started=attempt.started_at,
        deadline=attempt.deadline,
        questions=attempt.tally().total,
    )
    answers = [a for a in answers if srs.is_review(a.outcome, a.question.served_at)]
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
        rating = srs.rating_for(answer.outcome, answer.elapsed_ms, limit)
        for slug in answer.question.fact_slugs:
            srs.review(cards[slug], rating, answer.answered_at, answer.elapsed_ms)
    ReviewCard.objects.bulk_update(cards.values(), srs.CARD_STATE, batch_size=2000)

    if attempt.retry_of_id is None and attempt.quiz.counts_towards_standing:
        _add_standing(user_id, attempt.quiz_id, attempt.score)


def _add_topic(user_id: int, topic: str, delta: dict[str, int]) -> None:
    fields = {k: delta.get(k, 0) for k in ("correct", "wrong", "unanswered", "answered_ms")}
    rows = TopicProgress.objects.filter(user_id=user_id, topic_slug=topic)
    if rows.update(**{k: F(k) + v for k, v in fields.items()}):
        return
    try:
        with transaction.atomic():
            TopicProgress.objects.create(user_id=user_id, topic_slug=topic, **fields)
    except IntegrityError:  # created concurrently: add to it instead
        rows.update(**{k: F(k) + v for k, v in fields.items()})


def _add_standing(user_id: int, quiz_id: int, score) -> None:
    # Insert-or-skip, then lock: two folds at once must not both create the row.
    QuizStanding.objects.bulk_create(
        [
            QuizStanding(
                user_id=user_id, quiz_id=quiz_id, attempts=0, best_score=score, last_score=score
            )
        ],
        ignore_conflicts=True,
    )
    standing = QuizStanding.objects.select_for_update().get(user_id=user_id, quiz_id=quiz_id)
    standing.attempts += 1
    standing.last_score = score
    standing.best_score = max(standing.best_score, score)
    standing.save(update_fields=["attempts", "last_score", "best_score"])


def _lock_cards(user_id: int, slugs: list[str]) -> dict[str, ReviewCard]:
    """The student's cards for ``slugs``, locked in slug order (so two finishes wait for
    each other instead of deadlocking, and the second reviews the first's result)."""
    rows = ReviewCard.objects.select_for_update().filter(user_id=user_id, fact_slug__in=slugs)
    return {c.fact_slug: c for c in rows.order_by("fact_slug")}


def create_cards(user_id: int, first_due: dict) -> dict[str, ReviewCard]:
    """New cards for ``first_due`` ({fact slug: initial due}), saved first so that each has
    the primary key FSRS will use as its card_id."""
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
