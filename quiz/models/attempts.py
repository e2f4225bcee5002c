"""Quizzes, attempts and answers.

The server owns the clock: every deadline is stored here and every rule is checked against
the ``now`` a request read once. A question is frozen into its attempt when the attempt
starts, so later edits to the bank never change a past attempt.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse

from content.generator import STYLES, Question
from content.models import Topic
from quiz.scoring import Marking, Tally, to_decimal

# An answer that left the browser in time may reach us a little late.
NETWORK_GRACE = timedelta(seconds=2)


class AnswerError(Exception):
    """A forged, malformed or out-of-turn answer; the message is safe to show."""


class Quiz(models.Model):
    class Timing(models.TextChoices):
        DRILL = "drill", "Drill: a time limit per question, no going back"
        PAPER = "paper", "Paper: one time limit, free navigation"

    class Mode(models.TextChoices):
        EXAM = "exam", "Exam: feedback at the end"
        PRACTICE = "practice", "Practice: feedback after each answer"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
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

    def marking(self) -> Marking:
        return Marking(
            Fraction(str(self.marks_correct)),
            Fraction(self.penalty_numerator, self.penalty_denominator),
        )

    @property
    def is_live(self) -> bool:
        return self.opens_at is not None

    def is_open(self, now: datetime) -> bool:
        return self.is_live and self.opens_at <= now < self.closes_at

    def is_closed(self, now: datetime) -> bool:
        return self.is_live and now >= self.closes_at

    def freeze_paper(self, questions: list[Question]) -> None:
        """Store the live paper (once: a paper already taken is never replaced)."""
        self.live_paper = [q.as_export() | {"template": q.template} for q in questions]
        self.save(update_fields=["live_paper"])

    def thawed_paper(self) -> list[Question]:
        return [
            Question(
                id=item["id"],
                template=item["template"],
                style=item["kind"],
                stem=item["stem"],
                options=list(item["options"]),
                answer=item["answer"],
                explanation=item["explanation"],
                sources=list(item["sources"]),
                topic=item["topic"],
                facts=list(item["facts"]),
            )
            for item in self.live_paper or []
        ]

    def publish_results(self, now: datetime) -> None:
        """Once a live test has closed: finish the sittings still running and fold every
        sitting into its student's progress. Idempotent; the rank list, the results page and
        ``finish_expired_attempts`` call it, so results appear whichever comes first."""
        if not self.is_closed(now):
            return
        for attempt in self.attempts.filter(is_live=True).due(now):
            attempt.finish(now)
        for attempt in self.attempts.filter(
            is_live=True, status=Attempt.Status.FINISHED, progress_recorded=False
        ):
            attempt.fold_into_progress()

    def time_limit(self) -> timedelta:
        if self.timing == self.Timing.PAPER:
            return timedelta(minutes=self.paper_minutes or 0)
        return timedelta(seconds=self.seconds_per_question * self.question_count)


class AttemptQuerySet(models.QuerySet):
    def in_progress(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def due(self, now: datetime) -> AttemptQuerySet:
        """In-progress attempts whose last deadline (plus grace) has passed."""
        return self.in_progress().filter(deadline__lt=now - NETWORK_GRACE)

    def for_user(self, user) -> AttemptQuerySet:
        return self.filter(user=user)

    def released(self, now: datetime) -> AttemptQuerySet:
        """Finished attempts whose key, outcomes and score may be shown: a live mock test's
        only once the test has closed for everyone (see ``Attempt.is_released``)."""
        return self.filter(status=Attempt.Status.FINISHED).filter(
            Q(is_live=False) | Q(quiz__closes_at__lte=now)
        )


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    title = models.CharField(max_length=220)
    # Frozen from the quiz when the attempt starts: editing the quiz never changes it.
    timing = models.CharField(max_length=10, choices=Quiz.Timing.choices)
    mode = models.CharField(max_length=10, choices=Quiz.Mode.choices)
    seconds_per_question = models.PositiveSmallIntegerField()
    marks_correct = models.DecimalField(max_digits=5, decimal_places=2)
    penalty_numerator = models.PositiveSmallIntegerField()
    penalty_denominator = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    # Paper: when the paper closes. Drill: until when an abandoned drill may be resumed.
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(default=0)
    wrong_count = models.PositiveSmallIntegerField(default=0)
    unanswered_count = models.PositiveSmallIntegerField(default=0)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    is_live = models.BooleanField(default=False)
    question_total = models.PositiveSmallIntegerField(default=0)
    # Whether this attempt has been folded into the student's progress tables. A live mock
    # test's sitting is folded in only when the test closes: until then its outcomes must
    # not show anywhere, the dashboard's topic accuracy and due facts included.
    progress_recorded = models.BooleanField(default=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress")
                | Q(finished_at__isnull=False, score__isnull=False),
                name="quiz_attempt_finished_is_scored",
            ),
            # One sitting per student per live mock test, however many times Start is pressed.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(is_live=True),
                name="quiz_attempt_one_live_sitting",
            ),
            # Starting a quiz the student already has in progress resumes it: however many
            # times Start is pressed, at once or not, one attempt runs.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="in_progress", retry_of__isnull=True),
                name="quiz_attempt_one_in_progress",
            ),
        ]
        indexes = [
            # Catalogue best scores and "previous attempts at this quiz".
            models.Index(fields=["user", "quiz", "status"], name="quiz_attempt_user_quiz"),
            # finish_expired_attempts: in-progress attempts past their deadline.
            models.Index(fields=["status", "deadline"], name="quiz_attempt_status_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.user} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("quiz:attempt", args=[self.pk])

    @property
    def is_drill(self) -> bool:
        return self.timing == Quiz.Timing.DRILL

    @property
    def is_practice(self) -> bool:
        return self.mode == Quiz.Mode.PRACTICE

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED

    def is_released(self, now: datetime) -> bool:
        """Whether the correct options, outcomes and score may be shown. Never before the
        attempt is finished; for a live mock test, not before the test closes for everyone
        (a student who submitted early must not be able to pass the key on)."""
        if not self.is_finished:
            return False
        return not self.is_live or now >= self.quiz.closes_at

    def marking(self) -> Marking:
        return Marking(
            Fraction(str(self.marks_correct)),
            Fraction(self.penalty_numerator, self.penalty_denominator),
        )

    def tally(self) -> Tally:
        return Tally(self.correct_count, self.wrong_count, self.unanswered_count)

    @property
    def max_score(self):
        return to_decimal(self.marking().correct * self.tally().total)

    # -- starting --------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        user,
        quiz: Quiz,
        now: datetime,
        questions: list[Question],
        seed: int,
        retry_of: Attempt | None = None,
        title: str = "",
        mode: str | None = None,
        timing: str | None = None,
        is_live: bool = False,
    ) -> Attempt:
        """Create an attempt with ``questions`` frozen into it (one transaction)."""
        if not questions:
            raise AnswerError("No questions are available for this quiz yet.")
        timing = timing or quiz.timing
        if timing == Quiz.Timing.PAPER:
            deadline = now + quiz.time_limit()
        else:
            deadline = now + settings.DRILL_RESUME_WINDOW
        if is_live:
            deadline = min(deadline, quiz.closes_at)
        with transaction.atomic():
            attempt = cls.objects.create(
                user=user,
                quiz=quiz,
                title=title or quiz.title,
                timing=timing,
                mode=mode or quiz.mode,
                seconds_per_question=quiz.seconds_per_question,
                marks_correct=quiz.marks_correct,
                penalty_numerator=quiz.penalty_numerator,
                penalty_denominator=quiz.penalty_denominator,
                seed=seed,
                started_at=now,
                deadline=deadline,
                retry_of=retry_of,
                is_live=is_live,
                question_total=len(questions),
            )
            AttemptQuestion.objects.bulk_create(
                AttemptQuestion.freeze(attempt, position, q)
                for position, q in enumerate(questions, 1)
            )
        return attempt

    # -- the clock -------------------------------------------------------------------------

    def is_past(self, deadline: datetime | None, now: datetime) -> bool:
        return deadline is not None and now > deadline + NETWORK_GRACE

    def expire_if_due(self, now: datetime) -> bool:
        """Finish the attempt if its last deadline has passed. Returns True if finished now."""
        if self.status == self.Status.IN_PROGRESS and self.is_past(self.deadline, now):
            self.finish(now)
            return True
        return False

    def settle(self, now: datetime) -> AttemptQuestion | None:
        """Drill: record served questions whose deadline passed as unanswered, finish the
        attempt when none is left, and return the first question still pending (served or
        not). Never starts a clock."""
        assert self.is_drill
        if self.expire_if_due(now) or self.is_finished:
            return None
        with transaction.atomic():
            Attempt.objects.select_for_update().filter(pk=self.pk).first()
            question = self._first_pending(now)
        if question is None:
            self.finish(now)
        return question

    def _first_pending(self, now: datetime) -> AttemptQuestion | None:
        """The first unanswered question, recording timed-out ones on the way (the caller
        holds the attempt's lock). Fetches one row at a time, not every remaining question."""
        pending = self.questions.filter(answer__isnull=True).order_by("position")
        while (question := pending.first()) is not None:
            if question.served_at is None or not self.is_past(question.deadline, now):
                return question
            Answer.record(self, question, "", now, savepoint=False)
        return None

    def current_question(self, now: datetime) -> AttemptQuestion | None:
        """Drill: the question the student must answer now, served (its clock started) on
        first sight. None when every question is done (the attempt is then finished)."""
        question = self.settle(now)
        if question is not None and question.served_at is None:
            question.serve(now, self.seconds_per_question)
        return question

    # -- answering -------------------------------------------------------------------------

    def _open_for(self, position, now: datetime) -> int:
        """The question number an answer is for, if this attempt still takes answers."""
        try:
            position = int(position)
        except (TypeError, ValueError):
            raise AnswerError(
                "Which question is this answer for? The 'question' field is missing or not a number."
            ) from None
        if self.expire_if_due(now) or self.is_finished:
            raise AnswerError("This attempt is already finished; answers can no longer change.")
        return position

    def _lock_open(self) -> None:
        """Take the attempt's row lock and check, under it, that it still takes answers.

        The check in ``_open_for`` ran before the lock: a submit that finished the attempt
        while this request waited for the lock must win, or an answer in flight would
        change a paper after it was scored."""
        status = (
            Attempt.objects.select_for_update()
            .filter(pk=self.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status != self.Status.IN_PROGRESS:
            self.status = self.Status.FINISHED
            raise AnswerError("This attempt is already finished; answers can no longer change.")

    def _question_for(self, position: int, token: str) -> AttemptQuestion:
        question = (
            AttemptQuestion.objects.select_related("answer")
            .filter(attempt=self, position=position)
            .first()
        )
        if question is None:
            raise AnswerError(f"This attempt has no question {position}.")
        if token and token not in question.tokens():
            raise AnswerError("That option does not belong to this question.")
        return question

    def _record_drill(self, question: AttemptQuestion, token: str, now: datetime, clear: bool):
        if question.served_at is None:
            raise AnswerError("That question has not been served yet.")
        existing = getattr(question, "answer", None)
        if existing is not None:
            return existing, False
        late = self.is_past(question.deadline, now)
        if not token and not late and not clear:
            raise AnswerError("Choose one of the options.")
        return Answer.record(self, question, "" if late else token, now, savepoint=False), True

    def submit(
        self, position, token: str, now: datetime, *, clear: bool = False
    ) -> tuple[Answer, bool]:
        """Record an answer; returns (answer, created). Raises AnswerError for bad input.

        Drill: one answer per question, the first one wins; an answer after the question's
        deadline (plus grace) is recorded as unanswered. Paper: answers can change until the
        paper closes; in practice mode the first answer is final (its feedback was shown)."""
        position = self._open_for(position, now)
        try:
            with transaction.atomic():
                self._lock_open()
                question = self._question_for(position, token)
                if self.is_drill:
                    return self._record_drill(question, token, now, clear)
                return self._record_paper(question, token, now, clear)
        except IntegrityError:
            # A concurrent duplicate won the race (the constraint held): its answer stands.
            return Answer.objects.get(question__attempt=self, question__position=position), False

    def submit_and_advance(
        self, position, token: str, now: datetime, *, clear: bool = False
    ) -> tuple[Answer, AttemptQuestion | None]:
        """Drill: record the answer and serve the next question in one transaction (one
        lock, no second round trip). Returns (answer, next question or None when done)."""
        assert self.is_drill
        position = self._open_for(position, now)
        try:
            with transaction.atomic():
                self._lock_open()
                answer, _created = self._record_drill(
                    self._question_for(position, token), token, now, clear
                )
                following = self._first_pending(now)
                if following is not None and following.served_at is None:
                    following.serve(now, self.seconds_per_question)
        except IntegrityError:
            answer = Answer.objects.get(question__attempt=self, question__position=position)
            following = self.current_question(now)
        if following is None:
            self.finish(now)
        return answer, following

    def _record_paper(self, question: AttemptQuestion, token: str, now: datetime, clear: bool):
        existing = getattr(question, "answer", None)
        if existing is not None and self.is_practice:
            return existing, False
        if not token and not clear:
            raise AnswerError("Choose one of the options, or clear your response.")
        # In a paper, a question's time is the time since the student's previous save.
        since = (
            self.answers.exclude(question=question).aggregate(last=Max("answered_at"))["last"]
            or self.started_at
        )
        if existing is not None:
            existing.change(question, token, now, since)
            return existing, False
        if not token:
            return None, False
        return Answer.record(self, question, token, now, since, savepoint=False), True

    def toggle_mark(self, position, now: datetime) -> AttemptQuestion:
        position = self._open_for(position, now)
        with transaction.atomic():
            self._lock_open()
            question = self.questions.filter(position=position).first()
            if question is None:
                raise AnswerError(f"This attempt has no question {position}.")
            question.marked = not question.marked
            question.save(update_fields=["marked"])
        return question

    # -- finishing -------------------------------------------------------------------------

    def finish(self, now: datetime) -> None:
        """Record every missing answer as unanswered and score the attempt (idempotent)."""
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=self.pk)
            if locked.status == self.Status.FINISHED:
                self.refresh_from_db()
                return
            missing = list(locked.questions.filter(answer__isnull=True))
            Answer.objects.bulk_create(
                [
                    Answer(
                        **Answer.copied(locked, q),
                        chosen_token="",
                        outcome=Answer.Outcome.UNANSWERED,
                        answered_at=now,
                    )
                    for q in missing
                ],
                ignore_conflicts=True,
            )
            counts = locked.answers.aggregate(
                correct=Count("pk", filter=Q(outcome=Answer.Outcome.CORRECT)),
                wrong=Count("pk", filter=Q(outcome=Answer.Outcome.WRONG)),
                unanswered=Count("pk", filter=Q(outcome=Answer.Outcome.UNANSWERED)),
            )
            tally = Tally(counts["correct"], counts["wrong"], counts["unanswered"])
            locked.correct_count = tally.correct
            locked.wrong_count = tally.wrong
            locked.unanswered_count = tally.unanswered
            locked.score = to_decimal(tally.score(locked.marking()))
            locked.status = self.Status.FINISHED
            # A paper that ran out of time closes at its deadline, not when next touched.
            locked.finished_at = min(now, self.deadline) if not self.is_drill else now
            locked.save(
                update_fields=[
                    "correct_count",
                    "wrong_count",
                    "unanswered_count",
                    "score",
                    "status",
                    "finished_at",
                ]
            )
            # A live test's sitting waits for the test to close (Quiz.publish_results).
            if not locked.is_live or now >= self.quiz.closes_at:
                locked._fold_into_progress()
        self.refresh_from_db()

    def _fold_into_progress(self) -> None:
        """Fold this finished attempt into the student's progress tables, once (the caller
        holds the attempt's row lock)."""
        from quiz.srs import record_progress  # progress imports these models

        record_progress(self)
        self.progress_recorded = True
        self.save(update_fields=["progress_recorded"])

    def fold_into_progress(self) -> bool:
        """Fold a finished attempt whose progress is pending into the progress tables (a live
        test's sitting, once the test has closed). Idempotent; True if it did it now."""
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=self.pk)
            if locked.progress_recorded or not locked.is_finished:
                return False
            locked._fold_into_progress()
        self.progress_recorded = True
        return True


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    question_id = models.CharField(max_length=250, help_text="Template and fact slugs.")
    template_slug = models.CharField(max_length=120)
    fact_slugs = models.JSONField(default=list)
    topic_slug = models.CharField(max_length=80)
    style = models.CharField(max_length=12)
    stem = models.TextField()
    # [{"token": opaque per-attempt id, "text": option text}] in the order shown.
    options = models.JSONField()
    correct_token = models.CharField(max_length=40)
    explanation = models.TextField()
    sources = models.JSONField(default=list)
    served_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    marked = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quiz_question_position_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.position} of attempt {self.attempt_id}"

    @classmethod
    def freeze(cls, attempt: Attempt, position: int, q: Question) -> AttemptQuestion:
        tokens: list[str] = []
        while len(tokens) < len(q.options):
            token = secrets.token_urlsafe(9)
            if token not in tokens:
                tokens.append(token)
        return cls(
            attempt=attempt,
            position=position,
            question_id=q.id,
            template_slug=q.template,
            fact_slugs=list(q.facts),
            topic_slug=q.topic,
            style=q.style,
            stem=q.stem,
            options=[{"token": t, "text": text} for t, text in zip(tokens, q.options, strict=True)],
            correct_token=tokens[q.answer],
            explanation=q.explanation,
            sources=list(q.sources),
        )

    def tokens(self) -> list[str]:
        return [o["token"] for o in self.options]

    def option_text(self, token: str) -> str:
        return next((o["text"] for o in self.options if o["token"] == token), "")

    @property
    def correct_text(self) -> str:
        return self.option_text(self.correct_token)

    def visit(self, now: datetime) -> None:
        """Paper: the student opened this question (so leaving it unanswered says something
        about what they know; see ``srs.is_review``). No clock starts."""
        AttemptQuestion.objects.filter(pk=self.pk, served_at__isnull=True).update(served_at=now)
        self.served_at = now

    def serve(self, now: datetime, seconds: int) -> None:
        self.served_at = now
        self.deadline = now + timedelta(seconds=seconds)
        self.save(update_fields=["served_at", "deadline"])

    def seconds_left(self, now: datetime) -> float:
        if self.deadline is None:
            return 0.0
        return max(0.0, (self.deadline - now).total_seconds())

    @property
    def stem_lines(self) -> list[str]:
        return self.stem.split("\n")


class Answer(models.Model):
    class Outcome(models.TextChoices):
        CORRECT = "correct", "Correct"
        WRONG = "wrong", "Wrong"
        UNANSWERED = "unanswered", "Unanswered"

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    # Copied from the attempt and question so progress and item statistics aggregate one
    # table without joins.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers", null=True
    )
    question_key = models.CharField(max_length=250, blank=True)
    template_slug = models.CharField(max_length=120, blank=True)
    topic_slug = models.CharField(max_length=80, blank=True)
    chosen_text = models.CharField(max_length=500, blank=True)
    question = models.OneToOneField(
        AttemptQuestion, on_delete=models.CASCADE, related_name="answer"
    )
    chosen_token = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    answered_at = models.DateTimeField()
    # Time from serving to answering (drills; papers record it from the attempt's start).
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            # Double clicks, retries and concurrent duplicates leave exactly one answer.
            models.UniqueConstraint(fields=["question"], name="quiz_answer_once"),
            models.CheckConstraint(
                condition=Q(outcome="unanswered", chosen_token="")
                | (~Q(outcome="unanswered") & ~Q(chosen_token="")),
                name="quiz_answer_outcome_matches_choice",
            ),
        ]
        indexes = [
            # Scoring an attempt counts its answers by outcome.
            models.Index(fields=["attempt", "outcome"], name="quiz_answer_attempt_outcome"),
            # A student's CSV export and history, in time order.
            models.Index(fields=["user", "answered_at"], name="quiz_answer_user_time"),
            # Item analysis groups by question and splits by student (covering index).
            models.Index(
                fields=["question_key", "user", "outcome", "elapsed_ms"], name="quiz_answer_item"
            ),
            # Item analysis: which wrong options were chosen (a partial, covering index).
            models.Index(
                fields=["question_key", "chosen_text"],
                condition=Q(outcome="wrong"),
                name="quiz_answer_wrong_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.outcome}"

    @staticmethod
    def copied(attempt: Attempt, question: AttemptQuestion) -> dict:
        return {
            "attempt": attempt,
            "question": question,
            "user_id": attempt.user_id,
            "question_key": question.question_id,
            "template_slug": question.template_slug,
            "topic_slug": question.topic_slug,
        }

    @staticmethod
    def judge(question: AttemptQuestion, token: str) -> str:
        if not token:
            return Answer.Outcome.UNANSWERED
        return Answer.Outcome.CORRECT if token == question.correct_token else Answer.Outcome.WRONG

    @classmethod
    def record(
        cls,
        attempt: Attempt,
        question: AttemptQuestion,
        token: str,
        now: datetime,
        since: datetime | None = None,
        *,
        savepoint: bool = True,
    ) -> Answer:
        """Insert the answer. With ``savepoint`` a concurrent duplicate is absorbed here (its
        answer stands); without it the IntegrityError reaches the caller, which holds the
        attempt's lock and handles it after its transaction (two fewer round trips)."""
        started = since or question.served_at or attempt.started_at
        elapsed = max(0, int((now - started).total_seconds() * 1000))
        fields = {
            **cls.copied(attempt, question),
            "chosen_token": token,
            "chosen_text": question.option_text(token),
            "outcome": cls.judge(question, token),
            "answered_at": now,
            "elapsed_ms": elapsed,
        }
        if not savepoint:
            return cls.objects.create(**fields)
        try:
            with transaction.atomic():
                return cls.objects.create(**fields)
        except IntegrityError:
            return cls.objects.get(question=question)

    def change(self, question: AttemptQuestion, token: str, now: datetime, since: datetime) -> None:
        self.chosen_token = token
        self.chosen_text = question.option_text(token)
        self.outcome = self.judge(question, token)
        self.answered_at = now
        self.elapsed_ms = max(0, int((now - since).total_seconds() * 1000))
        self.save(
            update_fields=["chosen_token", "chosen_text", "outcome", "answered_at", "elapsed_ms"]
        )

    @property
    def is_correct(self) -> bool:
        return self.outcome == self.Outcome.CORRECT

    @property
    def elapsed_seconds(self) -> float | None:
        return None if self.elapsed_ms is None else round(self.elapsed_ms / 1000, 1)
