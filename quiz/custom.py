"""Personal quizzes: "build your own quiz" and "My bookmarks".

Both go through the start machinery of ``quiz.starting``: a student's own quiz is a private
``Quiz`` row (kind CUSTOM) rewritten from their last choice and started with ``begin``, so
it draws from the bank exactly as a catalogue quiz does (``content.paper.build_paper``);
the bookmarks drill regenerates each starred question from the published bank, as the
review-due drill does for due facts."""

from __future__ import annotations

import math
from datetime import datetime

from django.db import IntegrityError, transaction

from content.models import Topic
from quiz.errors import CannotStart
from quiz.models import Attempt, Quiz, QuizChoice
from quiz.starting import begin

BOOKMARKS_SLUG = "my-bookmarks"
# One bookmarks drill at most this long; the oldest bookmarks beyond it wait for the next.
BOOKMARKS_PER_DRILL = 30


def describe(choice: QuizChoice, topic_names: dict[str, str]) -> str:
    """A short title for the student's own quiz, e.g. "Your quiz: Defence agreements"."""
    topics = [topic_names.get(s, s) for s in choice.topics] or ["all topics"]
    shown = ", ".join(topics[:3]) + (f" and {len(topics) - 3} more" if len(topics) > 3 else "")
    return f"Your quiz: {shown}"[:200]


def own_quiz(user, choice: QuizChoice) -> Quiz:
    """The student's private quiz row, rewritten from ``choice`` (an attempt already running
    copied what it needs when it started, so rewriting never changes it)."""
    names = dict(Topic.objects.filter(slug__in=choice.topics).values_list("slug", "name"))
    untimed = choice.timing == QuizChoice.Timing.UNTIMED
    fields = {
        "title": describe(choice, names),
        "kind": Quiz.Kind.CUSTOM,
        "published": False,  # never in the catalogue, never startable by slug
        "question_count": choice.question_count,
        "styles": list(choice.styles),
        "timing": Quiz.Timing.DRILL
        if choice.timing == QuizChoice.Timing.DRILL
        else Quiz.Timing.PAPER,
        "seconds_per_question": QuizChoice.SECONDS_PER_QUESTION,
        "paper_minutes": None
        if choice.timing == QuizChoice.Timing.DRILL
        else QuizChoice.UNTIMED_MINUTES
        if untimed
        else math.ceil(choice.question_count * QuizChoice.PAPER_MINUTES_PER_QUESTION),
        "mode": Quiz.Mode.PRACTICE if untimed or choice.feedback else Quiz.Mode.EXAM,
    }
    with transaction.atomic():
        quiz = choice.quiz
        if quiz is None:
            quiz = Quiz.objects.create(slug=f"own-quiz-{user.pk}", **fields)
            choice.quiz = quiz
            choice.save(update_fields=["quiz"])
        else:
            for name, value in fields.items():
                setattr(quiz, name, value)
            quiz.save(update_fields=list(fields))
        quiz.topics.set(Topic.objects.filter(slug__in=choice.topics))
    return quiz


def start_custom(user, choice: QuizChoice, now: datetime) -> tuple[Attempt, bool]:
    """Start the student's own quiz from ``choice``. Returns (attempt, resumed): an own quiz
    already running is resumed (one runs at a time, as for every quiz)."""
    running = Attempt.objects.filter(
        user=user, quiz__kind=Quiz.Kind.CUSTOM, retry_of__isnull=True
    ).resumable(now)
    if running is not None:
        return running, True
    quiz = own_quiz(user, choice)
    try:
        return begin(user, quiz, now), False
    except CannotStart as exc:
        if str(exc).startswith("No questions are available"):
            raise CannotStart(
                "No questions match these topics and formats. Choose more topics or formats."
            ) from exc
        raise


def bookmarks_quiz() -> Quiz:
    """The one shared "My bookmarks" quiz row every student's bookmarks drill belongs to."""
    quiz = Quiz.objects.filter(kind=Quiz.Kind.BOOKMARKS).first()
    if quiz is not None:
        return quiz
    try:
        with transaction.atomic():
            return Quiz.objects.create(
                slug=BOOKMARKS_SLUG,
                title="My bookmarks",
                kind=Quiz.Kind.BOOKMARKS,
                published=False,
                timing=Quiz.Timing.DRILL,
                mode=Quiz.Mode.PRACTICE,
                seconds_per_question=QuizChoice.SECONDS_PER_QUESTION,
                question_count=BOOKMARKS_PER_DRILL,
            )
    except IntegrityError:  # created a moment ago by another request
        return Quiz.objects.get(slug=BOOKMARKS_SLUG)


def start_bookmarks(user, now: datetime) -> Attempt:
    """Start (or resume) the student's bookmarks drill (``starting.start_bookmarks``)."""
    return begin(user, bookmarks_quiz(), now)
