"""The student's study tools: bookmarks, error reports to the editors, and the last
"build your own quiz" choice.

A bookmark and a report point at the *question key* (template and facts), not at one frozen
row: the same question met in another attempt is the same bookmark, and reports about it
add up in item analysis. A report also keeps the frozen row it was made on, so the editor
sees exactly what the student saw."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse

from content.generator import STYLES
from quiz.models.answer import AttemptQuestion
from quiz.models.quiz import Quiz


class BookmarkQuerySet(models.QuerySet):
    def keys_for(self, user, keys) -> set[str]:
        """Which of ``keys`` the student has bookmarked (one query)."""
        return set(
            self.filter(user=user, question_key__in=list(keys)).values_list(
                "question_key", flat=True
            )
        )


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    question_key = models.CharField(max_length=250, help_text="Template and fact slugs.")
    template_slug = models.CharField(max_length=120)
    fact_slugs = models.JSONField(default=list)
    topic_slug = models.CharField(max_length=80)
    style = models.CharField(max_length=12)
    # The stem as the student last saw it, to list bookmarks without regenerating them.
    stem = models.TextField()
    created_at = models.DateTimeField()

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Starring the same question twice (two tabs, two attempts) keeps one bookmark;
            # the unique index also serves "which of these questions are starred?".
            models.UniqueConstraint(fields=["user", "question_key"], name="quiz_bookmark_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ★ {self.question_key}"

    @property
    def anchor_fact(self) -> str:
        return self.fact_slugs[0] if self.fact_slugs else ""

    @classmethod
    def toggle(cls, user, question: AttemptQuestion, now: datetime) -> bool:
        """Star ``question`` for ``user``, or unstar it if starred. Returns whether it is
        starred now. A concurrent duplicate star is absorbed by quiz_bookmark_once."""
        deleted, _ = cls.objects.filter(user=user, question_key=question.question_key).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                cls.objects.create(
                    user=user,
                    question_key=question.question_key,
                    template_slug=question.template_slug,
                    fact_slugs=question.fact_slugs,
                    topic_slug=question.topic_slug,
                    style=question.style,
                    stem=question.stem,
                    created_at=now,
                )
        except IntegrityError:
            pass  # the other request starred it a moment ago
        return True


class ErrorReportQuerySet(models.QuerySet):
    def open(self) -> ErrorReportQuerySet:
        return self.filter(status=ErrorReport.Status.OPEN)

    def answered(self) -> ErrorReportQuerySet:
        return self.exclude(status=ErrorReport.Status.OPEN)


class ErrorReport(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open: waiting for an editor"
        RESOLVED = "resolved", "Resolved: the question was corrected"
        REJECTED = "rejected", "Rejected: the question stands"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="error_reports"
    )
    # The frozen question exactly as the student saw it.
    question = models.ForeignKey(
        AttemptQuestion, on_delete=models.CASCADE, related_name="error_reports"
    )
    # Copied from the question, so the queue and item analysis read one table.
    question_key = models.CharField(max_length=250)
    template_slug = models.CharField(max_length=120)
    fact_slugs = models.JSONField(default=list)
    problem = models.TextField(help_text="What the student says is wrong.")
    source = models.CharField(
        max_length=500, blank=True, help_text="Where the student read otherwise (optional)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reply = models.TextField(blank=True, help_text="Shown to the student on their dashboard.")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double submit, or a second report on the same question in the same attempt,
            # cannot file two reports.
            models.UniqueConstraint(fields=["user", "question"], name="quiz_errorreport_once"),
            # An editor's decision always comes with a reply the student can read.
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & ~Q(reply="") & Q(closed_at__isnull=False)),
                name="quiz_errorreport_closed_has_reply",
            ),
        ]
        indexes = [
            # The editors' queue: open reports, oldest first.
            models.Index(fields=["status", "created_at"], name="quiz_errorreport_queue"),
            # Item analysis: reports per question key.
            models.Index(fields=["question_key"], name="quiz_errorreport_key"),
        ]

    def __str__(self) -> str:
        return f"Report on {self.question_key} by {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("admin:quiz_errorreport_change", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @classmethod
    def file(
        cls, user, question: AttemptQuestion, problem: str, source: str, now: datetime
    ) -> tuple[ErrorReport, bool]:
        """File the student's report on ``question`` (once: a repeat returns the first).
        Returns (report, created)."""
        try:
            with transaction.atomic():
                report = cls.objects.create(
                    user=user,
                    question=question,
                    question_key=question.question_key,
                    template_slug=question.template_slug,
                    fact_slugs=question.fact_slugs,
                    problem=problem,
                    source=source,
                    created_at=now,
                )
        except IntegrityError:
            return cls.objects.get(user=user, question=question), False
        return report, True

    @staticmethod
    def counts_by_key() -> dict[str, int]:
        """Reports per question key (item analysis; one query over quiz_errorreport_key)."""
        rows = (
            ErrorReport.objects.values("question_key")
            .annotate(n=models.Count("pk"))
            .order_by()
            .values_list("question_key", "n")
        )
        return dict(rows)


class QuizChoice(models.Model):
    """A student's "build your own quiz" choice, remembered for next time, and the private
    quiz row their attempts at it belong to."""

    class Timing(models.TextChoices):
        DRILL = "drill", "19 seconds per question"
        PAPER = "paper", "A clock for the whole paper (1.2 minutes per question)"
        UNTIMED = "untimed", "Untimed practice, the answer after each question"

    MAX_QUESTIONS = 50
    SECONDS_PER_QUESTION = 19
    # Prelims: 120 minutes for 100 questions.
    PAPER_MINUTES_PER_QUESTION = 1.2
    # "Untimed": a paper that stays open for a day, so it can be finished later.
    UNTIMED_MINUTES = Quiz.UNTIMED_MINUTES

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_choice"
    )
    quiz = models.OneToOneField(
        "quiz.Quiz", on_delete=models.PROTECT, related_name="choice", null=True, blank=True
    )
    topics = models.JSONField(default=list, blank=True, help_text="Topic slugs; empty: all.")
    styles = models.JSONField(default=list, blank=True, help_text="Styles; empty: all.")
    question_count = models.PositiveSmallIntegerField(default=10)
    timing = models.CharField(max_length=10, choices=Timing.choices, default=Timing.DRILL)
    feedback = models.BooleanField(
        default=False, help_text="Show the answer after each question (practice mode)."
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question_count__gte=1, question_count__lte=50),
                name="quiz_quizchoice_count_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}'s own quiz"

    @property
    def style_names(self) -> list[str]:
        return [s for s in STYLES if s in (self.styles or [])]
