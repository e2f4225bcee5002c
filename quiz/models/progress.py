"""What each student knows: per-topic totals, best scores per quiz, and a spaced-repetition
card per (student, fact). Kept up to date when an attempt finishes, so dashboards read a few
small rows instead of aggregating a student's whole history."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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


class QuizStanding(models.Model):
    """A student's best and latest score on a quiz (first attempts only, not retries)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standings"
    )
    quiz = models.ForeignKey("quiz.Quiz", on_delete=models.CASCADE, related_name="standings")
    attempts = models.PositiveIntegerField(default=0)
    best_score = models.DecimalField(max_digits=8, decimal_places=2)
    last_score = models.DecimalField(max_digits=8, decimal_places=2)

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
