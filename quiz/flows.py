"""Starting attempts: drawing questions from the bank, or from an attempt's mistakes."""

from __future__ import annotations

import secrets
from datetime import datetime

from content.bank import load_bank_from_db
from content.generator import Question
from content.paper import build_paper
from quiz.models import AnswerError, Attempt, AttemptQuestion, Quiz


def start_quiz(user, quiz: Quiz, now: datetime) -> Attempt:
    """Draw ``quiz``'s questions from the published bank and freeze them into a new attempt."""
    seed = secrets.randbelow(2**31)
    topics = [t.slug for t in quiz.topics.all()] or None
    questions = build_paper(
        load_bank_from_db(), quiz.question_count, seed, topics=topics, styles=quiz.styles or None
    )
    return Attempt.start(user, quiz, now, questions, seed)


def _thaw(question: AttemptQuestion) -> Question:
    texts = [o["text"] for o in question.options]
    return Question(
        id=question.question_id,
        template=question.template_slug,
        style=question.style,
        stem=question.stem,
        options=texts,
        answer=question.tokens().index(question.correct_token),
        explanation=question.explanation,
        sources=list(question.sources),
        topic=question.topic_slug,
        facts=list(question.fact_slugs),
    )


def start_mistakes(attempt: Attempt, now: datetime) -> Attempt:
    """A practice drill of the questions ``attempt`` got wrong or left unanswered (with new
    option tokens, so nothing from the old attempt's page reveals the new one)."""
    missed = [
        q
        for q in attempt.questions.select_related("answer").order_by("position")
        if getattr(q, "answer", None) is None or not q.answer.is_correct
    ]
    return Attempt.start(
        attempt.user,
        attempt.quiz,
        now,
        [_thaw(q) for q in missed],
        seed=attempt.seed,
        retry_of=attempt,
        title=f"Practise my mistakes: {attempt.title}",
        mode=Quiz.Mode.PRACTICE,
        timing=Quiz.Timing.DRILL,
    )


REVIEW_DUE = "review-due"


def start_review(user, quiz: Quiz, now: datetime) -> Attempt:
    """A practice drill of the facts whose FSRS review is due, most overdue first: for each,
    a question that asks about that fact (direct questions preferred)."""
    from content.generator import CannotGenerate, generate
    from quiz.models import ReviewCard

    due = list(
        ReviewCard.objects.filter(user=user, due__lte=now)
        .order_by("due")
        .values_list("fact_slug", flat=True)[: quiz.question_count * 3]
    )
    if not due:
        upcoming = (
            ReviewCard.objects.filter(user=user)
            .order_by("due")
            .values_list("due", flat=True)
            .first()
        )
        when = f" The next review is due {upcoming:%-d %b %Y}." if upcoming else ""
        raise AnswerError("Nothing is due for review right now." + when)
    bank = load_bank_from_db()
    seed = secrets.randbelow(2**31)
    questions: list[Question] = []
    for slug in due:
        fact = bank.facts.get(slug)
        if fact is None:
            continue  # unpublished or disputed since it was learnt
        templates = sorted(
            (t for t in bank.templates.values() if t.kind == fact.kind),
            key=lambda t: (t.style != "mcq", t.slug),
        )
        for template in templates:
            try:
                questions.append(generate(bank, template, fact, seed))
                break
            except CannotGenerate:
                continue
        if len(questions) >= quiz.question_count:
            break
    if not questions:
        raise AnswerError("The facts due for review are no longer in the published bank.")
    return Attempt.start(
        user,
        quiz,
        now,
        questions,
        seed,
        title="Review due",
        mode=Quiz.Mode.PRACTICE,
        timing=Quiz.Timing.DRILL,
    )


def prepare_live_paper(quiz: Quiz) -> int:
    """Generate the one paper every student of a live mock test will sit (before it opens).
    Returns the number of questions. Never replaces a paper once the test has opened."""
    from django.utils import timezone

    if quiz.live_paper and quiz.opens_at and timezone.now() >= quiz.opens_at:
        raise AnswerError("This test has opened; its paper can no longer change.")
    topics = [t.slug for t in quiz.topics.all()] or None
    questions = build_paper(
        load_bank_from_db(),
        quiz.question_count,
        seed=quiz.pk,
        topics=topics,
        styles=quiz.styles or None,
    )
    if not questions:
        raise AnswerError("The bank has no questions for this test's topics and styles.")
    quiz.freeze_paper(questions)
    return len(questions)


def start_live(user, quiz: Quiz, now: datetime) -> Attempt:
    """Start (or resume) the student's one sitting of a live mock test. Nothing is generated
    here: the paper was frozen before the test opened."""
    from django.db import IntegrityError

    existing = Attempt.objects.filter(user=user, quiz=quiz, is_live=True).first()
    if existing is not None:
        return existing
    if now < quiz.opens_at:
        raise AnswerError(f"This test opens at {timezone_label(quiz.opens_at)}.")
    if now >= quiz.closes_at:
        raise AnswerError("This test has closed. The rank list is published.")
    questions = quiz.thawed_paper()
    if not questions:
        raise AnswerError("This test's paper is not ready yet. Please try again shortly.")
    try:
        return Attempt.start(user, quiz, now, questions, seed=quiz.pk, is_live=True)
    except IntegrityError:  # a double click or a second tab started it a moment ago
        return Attempt.objects.get(user=user, quiz=quiz, is_live=True)


def timezone_label(moment: datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%-d %b %Y, %H:%M")
