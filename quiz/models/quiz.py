"""A quiz: what to draw, how it is timed and marked, and what kind of quiz it is. Editing a
quiz never changes an attempt already started (the attempt copies what it needs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from content.generator import STYLES, Question
from content.models import Topic
from quiz import frozen
from quiz.scoring import Marking


class Quiz(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular: listed in the catalogue, draws from the bank"
        QUICK = "quick", "Quick: the catalogue's one-click button, draws from the bank"
        REVIEW_DUE = "review_due", "Review due: the student's due facts; no standings"
        CUSTOM = "custom", "Custom: one student's own build; private, no standings"
        BOOKMARKS = "bookmarks", "My bookmarks: the student's starred questions; no standings"

    # Personal quizzes: no common paper to rank students on.
    PERSONAL_KINDS = (Kind.REVIEW_DUE, Kind.CUSTOM, Kind.BOOKMARKS)
    # A paper open this long is "untimed practice": the page shows no ticking clock.
    UNTIMED_MINUTES = 24 * 60

    class Timing(models.TextChoices):
        DRILL = "drill", "Drill: a time limit per question, no going back"
        PAPER = "paper", "Paper: one time limit, free navigation"

    class Mode(models.TextChoices):
        EXAM = "exam", "Exam: feedback at the end"
        PRACTICE = "practice", "Practice: feedback after each answer"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # What Start does and where the quiz is shown; the slug is only a name.
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    topics = models.ManyToManyField(
        Topic, blank=True, help_text="Leave empty to draw from every topic."
    )
    styles = models.JSONField(
        default=list, blank=True, help_text="Question styles to draw from; empty means all."
    )
    question_count = models.PositiveSmallIntegerField(default=10)
    timing = models.CharField(max_length=10, choices=Timing.choices, default=Timing.DRILL)
    seconds_per_question = models.PositiveSmallIntegerField(
        default=19, help_text="Drill: seconds for each question."
    )
    paper_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Paper: minutes for the whole paper (Prelims: 120 for 100).",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.EXAM)
    marks_correct = models.DecimalField(max_digits=5, decimal_places=2, default=2)
    penalty_numerator = models.PositiveSmallIntegerField(
        default=1, help_text="A wrong answer loses numerator/denominator of the question's marks."
    )
    penalty_denominator = models.PositiveSmallIntegerField(default=3)
    published = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    # Live mock test: everyone gets the same paper, which is generated before it opens so
    # that hundreds of students pressing Start at once generate nothing.
    opens_at = models.DateTimeField(
        null=True, blank=True, help_text="Live mock test: when it opens."
    )
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Live mock test: when it closes."
    )
    live_paper = models.JSONField(
        null=True, blank=True, editable=False, help_text="The frozen paper every student gets."
    )

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(question_count__gte=1, question_count__lte=200),
                name="quiz_quiz_question_count_range",
            ),
            models.CheckConstraint(
                condition=Q(seconds_per_question__gte=5), name="quiz_quiz_drill_seconds_min"
            ),
            models.CheckConstraint(
                condition=~Q(timing="paper") | Q(paper_minutes__gte=1),
                name="quiz_quiz_paper_has_minutes",
            ),
            models.CheckConstraint(
                condition=Q(penalty_denominator__gte=1), name="quiz_quiz_penalty_denominator"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False, closes_at__gt=F("opens_at")),
                name="quiz_quiz_live_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = [s for s in self.styles or [] if s not in STYLES]
        if not isinstance(self.styles, list) or unknown:
            raise ValidationError(
                {"styles": f"Styles must be a list drawn from {', '.join(STYLES)}."}
            )
        if self.timing == self.Timing.PAPER and not self.paper_minutes:
            raise ValidationError({"paper_minutes": "A paper needs a time limit in minutes."})
        if self.penalty_numerator > self.penalty_denominator:
            raise ValidationError({"penalty_numerator": "The penalty cannot exceed the marks."})
        if (self.opens_at is None) != (self.closes_at is None):
            raise ValidationError("A live mock test needs both an opening and a closing time.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The test must close after it opens."})
        if self.opens_at and self.mode == self.Mode.PRACTICE:
            raise ValidationError(
                {
                    "mode": "A live mock test runs in exam mode: feedback after each answer "
                    "would give the key away while others are still sitting."
                }
            )
        if self.opens_at and self.kind != self.Kind.REGULAR:
            raise ValidationError({"kind": "A live mock test is a regular quiz."})
        if not self.opens_at and self.pk and self.attempts.filter(is_live=True).exists():
            raise ValidationError(
                "Students hold sittings of this live test: it keeps an opening and a closing time."
            )

    def marking(self) -> Marking:
        return Marking.of(self)

    def frozen_into_attempt(self) -> dict:
        """What an attempt copies from its quiz, so later edits to the quiz never change it."""
        return {
            "quiz": self,
            "title": self.title,
            "timing": self.timing,
            "mode": self.mode,
            "seconds_per_question": self.seconds_per_question,
            "marks_correct": self.marks_correct,
            "penalty_numerator": self.penalty_numerator,
            "penalty_denominator": self.penalty_denominator,
        }

    @property
    def is_paper(self) -> bool:
        return self.timing == self.Timing.PAPER

    @property
    def is_practice(self) -> bool:
        return self.mode == self.Mode.PRACTICE

    @property
    def is_live_test(self) -> bool:
        """A live mock test: one paper for everyone in a window, ranked when it closes."""
        return self.opens_at is not None

    @property
    def is_untimed(self) -> bool:
        """A paper left open for a day or more (a student's "untimed practice"): the page
        shows no countdown, only when it closes."""
        return self.is_paper and (self.paper_minutes or 0) >= self.UNTIMED_MINUTES

    @property
    def counts_towards_standing(self) -> bool:
        return self.kind not in self.PERSONAL_KINDS

    def is_closed(self, now: datetime) -> bool:
        return self.is_live_test and now >= self.closes_at

    @property
    def check_in_at(self) -> datetime:
        """When a live test's check-in opens (``LIVE_CHECK_IN`` before the test)."""
        return self.opens_at - settings.LIVE_CHECK_IN

    def has_opened(self, now: datetime) -> bool:
        """Whether a sitting may begin: any quiz but a live test before its opening."""
        return not self.is_live_test or now >= self.opens_at

    def reschedule_sittings(self) -> int:
        """After an editor moved the window: each running sitting's last deadline set again
        by the new times (``Attempt.scheduled_deadline``: a sitting never begun
        waits for the new opening; none outlives the new close). Returns how many."""
        sittings = list(self.attempts.filter(is_live=True, status="in_progress"))
        for sitting in sittings:
            sitting.quiz = self  # the new times, without a query per sitting
            sitting.deadline = sitting.scheduled_deadline(sitting.began_at)
        self.attempts.model.objects.bulk_update(sittings, ["deadline"])
        return len(sittings)

    def time_limit(self) -> timedelta:
        if self.is_paper:
            return timedelta(minutes=self.paper_minutes or 0)
        return timedelta(seconds=self.seconds_per_question * self.question_count)

    def freeze_paper(self, questions: list[Question]) -> None:
        """Store the live paper (``starting.prepare_live_paper`` refuses once it has opened)."""
        self.live_paper = [frozen.to_dict(q) for q in questions]
        self.save(update_fields=["live_paper"])

    def thawed_paper(self) -> list[Question]:
        return [frozen.from_dict(item) for item in self.live_paper or []]

    def publish_results(self, now: datetime) -> None:
        """Once a live test has closed: finish the sittings still running and fold every
        sitting into its student's progress. Idempotent; the rank list, the results page and
        ``finish_expired_attempts`` call it, so results appear whichever comes first."""
        if not self.is_closed(now):
            return
        sittings = self.attempts.filter(is_live=True)
        for attempt in sittings.due(now):
            attempt.finish(now)
        for attempt in sittings.finished().filter(progress_recorded=False):
            attempt.fold_into_progress()
