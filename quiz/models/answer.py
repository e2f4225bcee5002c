"""A question frozen into an attempt, and the student's one answer to it.

A question is frozen when the attempt starts (stem, options in the order shown under
per-attempt random tokens, the correct token, explanation, sources), so later edits to the
bank never change a past attempt."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, When

from content.generator import Question
from quiz import clock, frozen
from quiz.errors import ForeignOption, NoChoice, NoSuchQuestion, NotServedYet
from quiz.scoring import Outcome, Tally, judge


class Intent(models.TextChoices):
    """What the student did on a question page (the NTA exam's buttons, and drills')."""

    SAVE = "save", "Save & Next"
    SAVE_MARK = "save_mark", "Save & Mark for Review"
    MARK = "mark", "Mark for Review & Next"
    CLEAR = "clear", "Clear Response"
    SKIP = "skip", "Skip (drill)"
    TIME_OUT = "timeout", "The drill question's countdown ran out"


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey("quiz.Attempt", on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    # The generator's question id ("template:fact…"): a string key, not a foreign key.
    question_key = models.CharField(max_length=250, help_text="Template and fact slugs.")
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
    def freeze(cls, attempt, position: int, question: Question) -> AttemptQuestion:
        """``question`` as a row of ``attempt``, its options under fresh random tokens."""
        data = frozen.to_dict(question)
        tokens: list[str] = []
        while len(tokens) < len(data["options"]):
            token = secrets.token_urlsafe(9)
            if token not in tokens:
                tokens.append(token)
        return cls(
            attempt=attempt,
            position=position,
            question_key=data["id"],
            template_slug=data["template"],
            fact_slugs=data["facts"],
            topic_slug=data["topic"],
            style=data["kind"],
            stem=data["stem"],
            options=[
                {"token": t, "text": text} for t, text in zip(tokens, data["options"], strict=True)
            ],
            correct_token=tokens[data["answer"]],
            explanation=data["explanation"],
            sources=data["sources"],
        )

    def thaw(self) -> Question:
        """The question as the generator would have made it (to freeze into a new attempt)."""
        return frozen.from_dict(
            {
                "id": self.question_key,
                "template": self.template_slug,
                "kind": self.style,
                "stem": self.stem,
                "options": [o["text"] for o in self.options],
                "answer": self.tokens().index(self.correct_token),
                "explanation": self.explanation,
                "sources": self.sources,
                "topic": self.topic_slug,
                "facts": self.fact_slugs,
            }
        )

    @staticmethod
    def answered(attempt) -> Exists:
        """Whether a question of ``attempt`` has its answer, among ``attempt``'s answers
        only: ``answer__isnull`` joined every answer ever given (issue 12, see README)."""
        return Exists(Answer.objects.filter(attempt_id=attempt.pk, question_id=OuterRef("pk")))

    @classmethod
    def to_answer(cls, attempt, position: int, token: str, with_next: bool) -> tuple:
        """Question ``position`` of ``attempt`` with its answer, checked to offer ``token``,
        and ``with_next``: the first other unanswered question (None: none) — one query."""
        rows = cls.objects.filter(attempt=attempt)
        if with_next:
            rows = rows.annotate(answered=cls.answered(attempt))
            rows = rows.filter(Q(position=position) | Q(answered=False))
            rows = list(
                rows.order_by(Case(When(position=position, then=0), default=1), "position")[:2]
            )
            for row in rows:
                if not row.answered:  # known to have none: ``row.answer`` asks nothing
                    cls.answer.related.set_cached_value(row, None)
        else:
            rows = list(rows.select_related("answer").filter(position=position).order_by())
        question = rows[0] if rows and rows[0].position == position else None
        if question is None:
            raise NoSuchQuestion(f"This attempt has no question {position}.")
        if token and token not in question.tokens():
            raise ForeignOption("That option does not belong to this question.")
        return question, rows[1] if len(rows) > 1 else None

    def tokens(self) -> list[str]:
        return [o["token"] for o in self.options]

    def option_text(self, token: str) -> str:
        return next((o["text"] for o in self.options if o["token"] == token), "")

    @property
    def correct_text(self) -> str:
        return self.option_text(self.correct_token)

    @property
    def stem_lines(self) -> list[str]:
        return self.stem.split("\n")

    class State(models.TextChoices):
        """The five palette states of the NTA computer-based test."""

        NOT_VISITED = "not_visited", "Not visited"
        NOT_ANSWERED = "not_answered", "Not answered"
        ANSWERED = "answered", "Answered"
        MARKED = "marked", "Marked for review"
        ANSWERED_MARKED = "answered_marked", "Answered and marked for review"

    @property
    def is_answered(self) -> bool:
        """A saved option (uses the ``answer`` relation: select it with the question)."""
        answer = getattr(self, "answer", None)
        return answer is not None and bool(answer.chosen_token)

    @property
    def state(self) -> State:
        """Where this question stands on the palette. Papers record a visit when the
        question is opened (``served_at``), so "not visited" survives a reload."""
        if self.marked:
            return self.State.ANSWERED_MARKED if self.is_answered else self.State.MARKED
        if self.is_answered:
            return self.State.ANSWERED
        return self.State.NOT_ANSWERED if self.served_at else self.State.NOT_VISITED

    @classmethod
    def count_states(cls, questions) -> list[tuple[State, int]]:
        """How many of ``questions`` stand in each palette state, in the legend's order
        (the palette's legend and the submit summary)."""
        return [(state, len(positions)) for state, positions in cls.group_states(questions)]

    @classmethod
    def group_states(cls, questions) -> list[tuple[State, list[int]]]:
        """The positions of ``questions`` in each palette state, in the legend's order."""
        groups: dict = {state: [] for state in cls.State}
        for question in questions:
            groups[question.state].append(question.position)
        return [(state, sorted(positions)) for state, positions in groups.items()]

    def answer_in_paper(self, attempt, intent: str, token: str, now: datetime):
        """The NTA buttons on a paper question (the caller holds the attempt's lock).
        "Mark for Review & Next" never throws away the option on screen: a chosen option is
        saved with the mark, and a saved answer stays (answered and marked is evaluated).
        Returns the answer (None: nothing saved)."""
        existing = getattr(self, "answer", None)
        if intent == Intent.MARK and not token:
            saved = existing
        else:
            blank_ok = intent not in (Intent.SAVE, Intent.SAVE_MARK)
            saved = Answer.in_paper(attempt, self, token, now, blank_ok=blank_ok)
        if intent in (Intent.SAVE_MARK, Intent.MARK):
            self.set_marked(True)
        elif intent == Intent.SAVE:
            self.set_marked(False)
        return saved

    def set_marked(self, marked: bool) -> None:
        """Mark or unmark for review; no query when nothing changes."""
        if self.marked != marked:
            self.marked = marked
            AttemptQuestion.objects.filter(pk=self.pk).update(marked=marked)

    def visit(self, now: datetime) -> None:
        """Paper: the student opened this question (so leaving it unanswered says something
        about what they know; see ``srs.is_review``). No clock starts."""
        AttemptQuestion.objects.filter(pk=self.pk, served_at__isnull=True).update(served_at=now)
        self.served_at = now

    def serve(self, now: datetime, seconds: int) -> None:
        """Drill: show the question and start its clock."""
        self.served_at = now
        self.deadline = clock.question_deadline(now, seconds)
        self.save(update_fields=["served_at", "deadline"])

    def seconds_left(self, now: datetime) -> float:
        return clock.seconds_left(self.deadline, now)


@dataclass
class Reply:
    """What ``Attempt.answer`` did: the question, its answer (None once cleared or when
    marked) and, after ``advance``, the next question (None: the attempt is finished)."""

    question: AttemptQuestion
    answer: Answer | None
    following: AttemptQuestion | None = None


class AnswerQuerySet(models.QuerySet):
    @staticmethod
    def tally_counts() -> dict:
        """Aggregates counting answers by outcome (for ``aggregate`` or ``annotate``)."""
        return {
            outcome.value: Count("pk", filter=Q(outcome=outcome))
            for outcome in (Outcome.CORRECT, Outcome.WRONG, Outcome.UNANSWERED)
        }

    def tally(self) -> Tally:
        counts = self.aggregate(**self.tally_counts())
        return Tally(counts["correct"], counts["wrong"], counts["unanswered"])

    def answered(self) -> AnswerQuerySet:
        """Answers with a choice (correct or wrong), not time-outs or blanks."""
        return self.exclude(outcome=Outcome.UNANSWERED)


class Answer(models.Model):
    Outcome = Outcome

    # Each answer writes every index: by attempt and by user, the indexes in Meta serve.
    attempt = models.ForeignKey("quiz.Attempt", models.CASCADE, "answers", db_index=False)
    # Copied from the attempt and question so progress and item statistics aggregate one
    # table without joins.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, "answers", null=True, db_index=False
    )
    question_key = models.CharField(max_length=250, blank=True)
    template_slug = models.CharField(max_length=120, blank=True)
    topic_slug = models.CharField(max_length=80, blank=True)
    chosen_text = models.CharField(max_length=500, blank=True)
    # One-to-one: its unique index is what leaves exactly one answer per question, whatever
    # double clicks, retries and concurrent duplicates send.
    question = models.OneToOneField(
        AttemptQuestion, on_delete=models.CASCADE, related_name="answer"
    )
    chosen_token = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    answered_at = models.DateTimeField()
    # Time from serving to answering (drills; papers record it from the previous save).
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
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
    def copied(attempt, question: AttemptQuestion) -> dict:
        """The fields an answer copies from its attempt and question."""
        assert question.attempt_id == attempt.pk, "an answer belongs to its question's attempt"
        return {
            "attempt": attempt,
            "question": question,
            "user_id": attempt.user_id,
            "question_key": question.question_key,
            "template_slug": question.template_slug,
            "topic_slug": question.topic_slug,
        }

    @classmethod
    def unanswered(cls, attempt, question: AttemptQuestion, now: datetime) -> Answer:
        """An unsaved blank answer (timed out, or left when the attempt finished)."""
        return cls(
            **cls.copied(attempt, question),
            chosen_token="",
            outcome=Outcome.UNANSWERED,
            answered_at=now,
        )

    @classmethod
    def record(
        cls,
        attempt,
        question: AttemptQuestion,
        token: str,
        now: datetime,
        since: datetime | None = None,
    ) -> Answer:
        """Insert the answer (the caller holds the attempt's lock; a concurrent duplicate's
        IntegrityError reaches it). Time runs from ``since``, else from serving."""
        started = since or question.served_at or attempt.started_at
        return cls.objects.create(
            **cls.copied(attempt, question),
            chosen_token=token,
            chosen_text=question.option_text(token),
            outcome=judge(question.correct_token, token),
            answered_at=now,
            elapsed_ms=clock.elapsed_ms(started, now),
        )

    @classmethod
    def in_drill(
        cls, attempt, question: AttemptQuestion, token: str, now: datetime, blank_ok: bool
    ) -> Answer:
        """Drill: one answer per question, the first one wins; one after the question's
        deadline (plus grace) is recorded as unanswered. ``blank_ok``: a clear or time-out."""
        if question.served_at is None:
            raise NotServedYet("That question has not been served yet.")
        existing = getattr(question, "answer", None)
        if existing is not None:
            return existing
        late = clock.is_past(question.deadline, now)
        if not token and not late and not blank_ok:
            raise NoChoice("Choose one of the options.")
        return cls.record(attempt, question, "" if late else token, now)

    @classmethod
    def in_paper(
        cls, attempt, question: AttemptQuestion, token: str, now: datetime, blank_ok: bool
    ) -> Answer | None:
        """Paper: the answer can change (or be cleared) until the paper closes; in practice
        mode the first answer is final (its feedback was shown). None: nothing to clear."""
        existing = getattr(question, "answer", None)
        if existing is not None and attempt.is_practice:
            return existing
        if not token and not blank_ok:
            raise NoChoice("Choose one of the options, or clear your response.")
        # In a paper, a question's time is the time since the student's previous save.
        since = (
            attempt.answers.exclude(question=question).aggregate(last=Max("answered_at"))["last"]
            or attempt.started_at
        )
        if existing is not None:
            existing.change(question, token, now, since)
            return existing
        if not token:
            return None
        return cls.record(attempt, question, token, now, since)

    def change(self, question: AttemptQuestion, token: str, now: datetime, since: datetime) -> None:
        self.chosen_token = token
        self.chosen_text = question.option_text(token)
        self.outcome = judge(question.correct_token, token)
        self.answered_at = now
        self.elapsed_ms = clock.elapsed_ms(since, now)
        self.save(
            update_fields=["chosen_token", "chosen_text", "outcome", "answered_at", "elapsed_ms"]
        )

    @property
    def is_correct(self) -> bool:
        return self.outcome == Outcome.CORRECT

    @property
    def is_wrong(self) -> bool:
        return self.outcome == Outcome.WRONG

    @property
    def is_unanswered(self) -> bool:
        return self.outcome == Outcome.UNANSWERED

    @property
    def elapsed_seconds(self) -> float | None:
        return None if self.elapsed_ms is None else round(self.elapsed_ms / 1000, 1)
