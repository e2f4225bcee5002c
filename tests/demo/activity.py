"""Realistic demo activity: students with a hidden skill answer questions whose difficulty
comes from their template, so charts and item statistics show real patterns (skilled
students score higher, hard templates are answered correctly less often, weak students time
out more). Built with factory-boy; rows are written with bulk inserts so a million answers
take minutes, not hours."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from content.paper import build_paper
from content.servable import bank_from_db
from quiz import clock
from quiz.models import Answer, Attempt, AttemptQuestion, Quiz
from quiz.scoring import Outcome, Tally, judge, to_decimal

DEMO_PASSWORD = "demo-student-2plus2"


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"demo{n:05d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    # One hash shared by every demo student: hashing a thousand passwords is the slow part.
    password = factory.LazyFunction(lambda: _PASSWORD_HASH[0])


_PASSWORD_HASH = [""]


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def generate_activity(
    students: int,
    attempts: int,
    *,
    heavy_answers: int = 0,
    seed: int = 1,
    now: datetime,
    days: int = 120,
    log=print,
) -> dict:
    """Create ``students`` demo students and ``attempts`` finished attempts spread over the
    last ``days`` days; with ``heavy_answers``, one extra student ("demoheavy") gets about
    that many answers of their own. Returns counts."""
    rng = random.Random(seed)
    if not _PASSWORD_HASH[0]:
        _PASSWORD_HASH[0] = make_password(DEMO_PASSWORD)
    # Continue numbering after earlier runs, so running the command again adds students.
    StudentFactory.reset_sequence(
        get_user_model().objects.filter(username__startswith="demo").count()
    )
    users = StudentFactory.build_batch(students)
    get_user_model().objects.bulk_create(users)
    users = list(get_user_model().objects.filter(username__in=[u.username for u in users]))
    skill = {u.pk: rng.gauss(0, 1) for u in users}
    heavy = None
    if heavy_answers:
        heavy, _ = get_user_model().objects.get_or_create(
            username="demoheavy", defaults={"password": _PASSWORD_HASH[0]}
        )
        skill[heavy.pk] = 0.8

    quizzes = list(
        Quiz.objects.filter(
            slug__in=["quick-10", "drill-19-seconds", "upsc-formats-practice", "prelims-mock-paper"]
        )
    )
    bank = bank_from_db()
    papers: dict[int, list] = {}
    log(f"  building 12 papers for each of {len(quizzes)} quizzes (the slow part of a small run)")
    for quiz in quizzes:
        topics = [t.slug for t in quiz.topics.all()] or None
        papers[quiz.pk] = [
            build_paper(bank, quiz.question_count, s, topics=topics, styles=quiz.styles or None)
            for s in range(12)
        ]
    difficulty = {t.slug: (t.difficulty - 2) * 0.8 for t in bank.templates.values()}
    item_noise: dict[str, float] = {}

    plan = [rng.choice(users) for _ in range(attempts)]
    if heavy is not None:
        drill = next(q for q in quizzes if q.slug == "drill-19-seconds")
        plan += [heavy] * max(1, heavy_answers // drill.question_count)
    total_answers = 0
    log(f"  writing {len(plan)} attempts for {len(users)} students, 300 at a time")
    for start in range(0, len(plan), 300):
        chunk = plan[start : start + 300]
        with transaction.atomic():
            total_answers += _write_chunk(
                chunk, heavy, quizzes, papers, skill, difficulty, item_noise, rng, now, days
            )
        log(f"  {min(start + 300, len(plan))}/{len(plan)} attempts, {total_answers} answers")
    return {
        "students": len(users) + (1 if heavy else 0),
        "attempts": len(plan),
        "answers": total_answers,
    }


def _outcome(question, pick: int | None) -> Outcome:
    """The outcome of picking option ``pick`` (None: no answer) of a generated question."""
    return judge(str(question.answer), "" if pick is None else str(pick))


def _write_chunk(
    chunk, heavy, quizzes, papers, skill, difficulty, item_noise, rng, now, days
) -> int:
    drill = next(q for q in quizzes if q.slug == "drill-19-seconds")
    built = []
    for user in chunk:
        quiz = drill if user is heavy else rng.choice(quizzes)
        paper = rng.choice(papers[quiz.pk])
        started = now - timedelta(days=rng.random() * days, seconds=rng.random() * 3600)
        limit = quiz.time_limit()
        attempt = Attempt(
            user=user,
            **quiz.frozen_into_attempt(),
            seed=rng.randrange(2**31),
            status=Attempt.Status.FINISHED,
            started_at=started,
            deadline=clock.attempt_deadline(is_paper=quiz.is_paper, time_limit=limit, now=started),
            finished_at=started + limit,
        )
        outcomes = []
        per_question = limit.total_seconds() / max(1, len(paper))
        for q in paper:
            b = difficulty.get(q.template, 0.0) + item_noise.setdefault(q.id, rng.gauss(0, 0.6))
            theta = skill[user.pk]
            if rng.random() < 0.08 * (1.5 - _sigmoid(theta)):
                outcomes.append((q, None, None))
                continue
            right = rng.random() < _sigmoid(1.3 * (theta - b))
            wrong_options = [i for i in range(4) if i != q.answer]
            pick = q.answer if right else rng.choices(wrong_options, weights=[3, 2, 1])[0]
            elapsed = min(per_question, rng.lognormvariate(math.log(per_question * 0.45), 0.35))
            outcomes.append((q, pick, int(elapsed * 1000)))
        t = Tally.of(_outcome(q, pick) for q, pick, _ in outcomes)
        attempt.correct_count, attempt.wrong_count, attempt.unanswered_count = (
            t.correct,
            t.wrong,
            t.unanswered,
        )
        attempt.score = to_decimal(t.score(attempt.marking()))
        attempt.question_total = len(outcomes)
        built.append((attempt, outcomes))
    Attempt.objects.bulk_create([a for a, _ in built])
    questions, answers = [], []
    for attempt, outcomes in built:
        for position, (q, pick, elapsed) in enumerate(outcomes, 1):
            aq = AttemptQuestion.freeze(attempt, position, q)
            aq.served_at = attempt.started_at + timedelta(
                seconds=(position - 1) * attempt.seconds_per_question
            )
            tokens = aq.tokens()
            questions.append(aq)
            answered_at = aq.served_at + timedelta(
                milliseconds=elapsed or attempt.seconds_per_question * 1000
            )
            answers.append(
                Answer(
                    **Answer.copied(attempt, aq),
                    chosen_token="" if pick is None else tokens[pick],
                    chosen_text="" if pick is None else q.options[pick],
                    outcome=_outcome(q, pick),
                    answered_at=answered_at,
                    elapsed_ms=elapsed,
                )
            )
    AttemptQuestion.objects.bulk_create(questions, batch_size=2000)
    for answer in answers:
        answer.question_id = answer.question.pk
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(answers)
