"""An attempt: one student sitting one quiz, and its state machine.

    start ──► in progress ──► finished ──► (released) ──► folded into progress
                 │  paper (and a live sitting checked in before the opening): instructions,
                 │  then begin() starts its clock
                 │  answer(SAVE | SAVE_MARK | MARK | CLEAR | SKIP | TIME_OUT)
                 │  drill: current_question serves one question at a time

Every write that must happen once takes the attempt's row lock. The deadlines themselves
are decided in ``quiz.clock``; marking and tallies in ``quiz.scoring``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse

from content.generator import Question
from quiz import clock
from quiz.errors import AttemptFinished, CannotStart, NotBegun, NotOpenYet
from quiz.models.answer import Answer, AttemptQuestion, Intent, Reply
from quiz.models.progress import record_progress
from quiz.models.quiz import Quiz
from quiz.scoring import Marking, Tally, to_decimal


class AttemptQuerySet(models.QuerySet):
    def in_progress(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def finished(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.FINISHED)

    def due(self, now: datetime) -> AttemptQuerySet:
        """In-progress attempts whose last deadline (plus grace) has passed."""
        return self.in_progress().filter(deadline__lt=clock.expired_before(now))

    def for_user(self, user) -> AttemptQuerySet:
        return self.filter(user=user)

    def resumable(self, now: datetime) -> Attempt | None:
        """The first of these attempts still running, to resume instead of starting anew; one
        whose time is up is finished on the way (and None returned)."""
        running = self.in_progress().select_related("quiz").first()
        if running is None or running.expire_if_due(now):
            return None
        return running

    def released(self, now: datetime) -> AttemptQuerySet:
        """Finished attempts whose key, outcomes and score may be shown: a live mock test's
        only once the test has closed for everyone (see ``Attempt.is_released``)."""
        return self.finished().filter(Q(is_live=False) | Q(quiz__closes_at__lte=now))


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"

    Intent = Intent

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
    # Paper: when the paper closes (before it begins, how long it waits). Drill: until when
    # an abandoned drill may be resumed.
    deadline = models.DateTimeField()
    # A paper's "I am ready to begin" (None while on its instructions); a drill's start.
    began_at = models.DateTimeField(null=True, blank=True)
    paper_seconds = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(default=0)
    wrong_count = models.PositiveSmallIntegerField(default=0)
    unanswered_count = models.PositiveSmallIntegerField(default=0)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    # A sitting of a live mock test (``Quiz.is_live_test``).
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

    @property
    def has_begun(self) -> bool:
        return self.began_at is not None

    def is_released(self, now: datetime) -> bool:
        """Whether the correct options, outcomes and score may be shown. Never before the
        attempt is finished; for a live mock test, not before the test closes for everyone
        (a student who submitted early must not be able to pass the key on)."""
        if not self.is_finished:
            return False
        return not self.is_live or now >= self.quiz.closes_at

    def marking(self) -> Marking:
        return Marking.of(self)

    def tally(self) -> Tally:
        return Tally(self.correct_count, self.wrong_count, self.unanswered_count)

    @property
    def max_score(self):
        return to_decimal(self.marking().correct * self.tally().total)

    def scheme(self) -> dict[str, str]:
        return self.marking().printed()

    def marking_breakdown(self) -> dict:
        return self.tally().breakdown(self.marking())

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
            raise CannotStart("No questions are available for this quiz yet.")
        fields = quiz.frozen_into_attempt() | {"title": title or quiz.title}
        fields |= {"timing": timing or quiz.timing, "mode": mode or quiz.mode}
        is_paper = fields["timing"] == Quiz.Timing.PAPER
        # A paper waits on its instructions (as long as a drill may be resumed) until
        # ``begin``; so does a live test's sitting checked in before the test opens.
        waits = is_paper or not quiz.has_opened(now)
        attempt = cls(
            user=user,
            **fields,
            seed=seed,
            started_at=now,
            began_at=None if waits else now,
            paper_seconds=int(quiz.time_limit().total_seconds()) if is_paper else 0,
            retry_of=retry_of,
            is_live=is_live,
            question_total=len(questions),
        )
        attempt.deadline = attempt.scheduled_deadline(attempt.began_at)
        with transaction.atomic():
            attempt.save(force_insert=True)
            AttemptQuestion.objects.bulk_create(
                AttemptQuestion.freeze(attempt, position, q)
                for position, q in enumerate(questions, 1)
            )
        return attempt

    # -- the clock -------------------------------------------------------------------------

    def begin(self, now: datetime) -> None:
        """ "I am ready to begin": start a paper's clock (a checked-in live drill's, its
        questions'), once: one conditional UPDATE, so a second press changes nothing. A live
        test's sitting cannot begin before the test opens (``NotOpenYet``)."""
        if self.has_begun or self.is_finished:
            return
        if self.is_live and not self.quiz.has_opened(now):
            raise NotOpenYet(
                f"The test has not opened yet: it opens at {clock.label(self.quiz.opens_at)}."
            )
        fields = {"began_at": now, "started_at": now, "deadline": self.scheduled_deadline(now)}
        waiting = Attempt.objects.filter(pk=self.pk, began_at__isnull=True, status=self.status)
        if waiting.update(**fields):
            vars(self).update(fields)
        else:  # a second tab began it (or a submit finished it) a moment ago
            self.refresh_from_db(fields=["began_at", "started_at", "deadline", "status"])

    def scheduled_deadline(self, began_at: datetime | None) -> datetime:
        """The last deadline if it began at ``began_at``: a paper's time limit from then, a
        drill's resume window; not begun, the resume window from its start (a live sitting's,
        from the opening). None outlives a live test. Set by ``start``, ``begin`` and
        ``Quiz.reschedule_sittings``."""
        live = self.quiz if self.is_live else None
        waiting_since = max(self.started_at, live.opens_at) if live else self.started_at
        return clock.attempt_deadline(
            is_paper=began_at is not None and not self.is_drill,
            time_limit=timedelta(seconds=self.paper_seconds),
            now=began_at or waiting_since,
            closes_at=live.closes_at if live else None,
        )

    def expire_if_due(self, now: datetime) -> bool:
        """Finish the attempt if its last deadline has passed. Returns True if finished now."""
        if self.status == self.Status.IN_PROGRESS and clock.is_past(self.deadline, now):
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
            list(Attempt.objects.select_for_update().filter(pk=self.pk).values_list("pk"))
            question = self._first_pending(now)
        if question is None:
            self.finish(now)
        return question

    def _first_pending(self, now: datetime) -> AttemptQuestion | None:
        """The first unanswered question, recording timed-out ones on the way (the caller
        holds the attempt's lock). Fetches one row at a time, not every remaining question."""
        pending = self.questions.filter(~AttemptQuestion.answered(self)).order_by("position")
        while (question := pending.first()) is not None:
            if question.served_at is None or not clock.is_past(question.deadline, now):
                return question
            Answer.record(self, question, "", now)
        return None

    def current_question(self, now: datetime) -> AttemptQuestion | None:
        """Drill: the question the student must answer now, served (its clock started) on
        first sight. None when every question is done (the attempt is then finished)."""
        question = self.settle(now)
        if question is not None and question.served_at is None:
            question.serve(now, self.seconds_per_question)
        return question

    # -- answering -------------------------------------------------------------------------

    def answer(
        self,
        intent: str,
        position: int,
        token: str,
        now: datetime,
        *,
        advance: bool = False,
        locked: bool = False,
    ) -> Reply:
        """Do what the student did to question ``position`` (``Intent``; a paper's NTA
        buttons are ``AttemptQuestion.answer_in_paper``).

        Drill: one answer per question, the first one wins; an answer after the question's
        deadline (plus grace) is recorded as unanswered. With ``advance`` the next question
        is served in the same transaction (one lock, no second round trip). Paper: answers
        can change until the paper closes; in practice mode the first answer is final (its
        feedback was shown). ``locked``: the caller's transaction read this attempt with its
        row lock (a duplicate's IntegrityError reaches it). Raises a ``QuizError``."""
        if intent in (self.Intent.CLEAR, self.Intent.TIME_OUT, self.Intent.SKIP):
            token = ""
        if self.expire_if_due(now) or self.is_finished:
            raise AttemptFinished
        if not self.has_begun:
            raise NotBegun("The paper has not begun: press “I am ready to begin” first.")
        if locked:
            return self._answer_locked(intent, position, token, now, advance)
        try:
            with transaction.atomic():
                self._lock_open()
                return self._answer_locked(intent, position, token, now, advance)
        except IntegrityError:
            # A concurrent duplicate won the race (the constraint held): its answer stands.
            saved = Answer.objects.get(question__attempt=self, question__position=position)
            if not advance:
                return Reply(saved.question, saved)
            following = self.current_question(now)
            if following is None:
                self.finish(now)
            return Reply(saved.question, saved, following)

    def _answer_locked(self, intent, position: int, token: str, now, advance: bool) -> Reply:
        """``answer`` under the row lock: the question (and a drill's next) in one query."""
        question, candidate = AttemptQuestion.to_answer(self, position, token, advance)
        if not self.is_drill:
            return Reply(question, question.answer_in_paper(self, intent, token, now))
        blank_ok = intent in (self.Intent.CLEAR, self.Intent.SKIP, self.Intent.TIME_OUT)
        saved = Answer.in_drill(self, question, token, now, blank_ok=blank_ok)
        if not advance:
            return Reply(question, saved)
        following = candidate  # the first other unanswered question, None: none is left
        if following and following.served_at and clock.is_past(following.deadline, now):
            following = self._first_pending(now)  # it timed out: record it, look further
        if following is not None and following.served_at is None:
            following.serve(now, self.seconds_per_question)
        if following is None:
            self.finish(now)
        return Reply(question, saved, following)

    def _lock_open(self) -> None:
        """Take the row lock and check under it that the attempt still takes answers: a
        submit that finished it while this request waited must win (the score stands)."""
        locked = Attempt.objects.select_for_update().filter(pk=self.pk).values_list("status")
        if next(iter(locked), None) != (self.Status.IN_PROGRESS,):  # no ORDER BY, no LIMIT
            self.status = self.Status.FINISHED
            raise AttemptFinished

    # -- finishing -------------------------------------------------------------------------

    def finish(self, now: datetime) -> None:
        """Record every missing answer as unanswered and score the attempt (idempotent)."""
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=self.pk)
            if locked.is_finished:
                self.refresh_from_db()
                return
            missing = locked.questions.filter(~AttemptQuestion.answered(locked))
            Answer.objects.bulk_create(
                [Answer.unanswered(locked, q, now) for q in missing], ignore_conflicts=True
            )
            tally = locked.answers.tally()
            locked.correct_count = tally.correct
            locked.wrong_count = tally.wrong
            locked.unanswered_count = tally.unanswered
            locked.score = to_decimal(tally.score(locked.marking()))
            locked.status = self.Status.FINISHED
            locked.finished_at = clock.finished_at(
                is_paper=not self.is_drill, deadline=self.deadline, now=now
            )
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
        holds the attempt's row lock). A live sitting checked in but never begun was absent:
        no question was shown, so nothing is learnt from it."""
        if self.has_begun or not self.is_live:
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
