"""Starting attempts: drawing questions from the bank, or from an attempt's mistakes."""

from __future__ import annotations

import secrets
from datetime import datetime

from content.bank import load_bank_from_db
from content.generator import Question
from content.paper import build_paper
from quiz.models import Attempt, AttemptQuestion, Quiz


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
