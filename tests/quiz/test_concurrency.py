"""Concurrent duplicate answers leave exactly one row (the database constraint decides)."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Answer
from tests.factories import QuizFactory, UserFactory, make_questions, start_attempt


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_submissions_record_one_answer():
    user = UserFactory()
    attempt = start_attempt(user, timezone.now(), n=2)
    question = attempt.current_question(timezone.now())
    tokens = question.tokens()
    barrier = threading.Barrier(6, timeout=10)
    statuses = []

    def post(token):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post(
                reverse("quiz:answer", args=[attempt.pk]), {"question": 1, "choice": token}
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(tokens[i % 4],)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 6
    assert Answer.objects.filter(question=question).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_answer_row():
    user = UserFactory()
    attempt = start_attempt(user, timezone.now(), n=1)
    question = attempt.current_question(timezone.now())
    Answer.objects.create(
        attempt=attempt,
        question=question,
        chosen_token="",
        outcome="unanswered",
        answered_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            attempt=attempt,
            question=question,
            chosen_token=question.correct_token,
            outcome="correct",
            answered_at=timezone.now(),
        )


@pytest.mark.django_db
def test_the_database_refuses_an_outcome_that_contradicts_the_choice():
    user = UserFactory()
    attempt = start_attempt(user, timezone.now(), n=1)
    question = attempt.current_question(timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            attempt=attempt,
            question=question,
            chosen_token="",
            outcome="correct",
            answered_at=timezone.now(),
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(3))
def test_answers_racing_a_submit_never_change_the_scored_paper(trial):
    """40 answer changes race one submit. Once submit has returned, no answer row changes
    and the stored score equals a recomputation from the stored answers."""
    from quiz.models import Attempt
    from quiz.scoring import Tally, to_decimal

    user = UserFactory()
    now = timezone.now()
    attempt = start_attempt(user, now, n=40, timing="paper", paper_minutes=60)
    questions = list(attempt.questions.order_by("position"))
    for q in questions:  # everything wrong to begin with
        attempt.answer(
            Attempt.Intent.SAVE,
            q.position,
            next(t for t in q.tokens() if t != q.correct_token),
            now,
        )
    barrier = threading.Barrier(len(questions) + 1, timeout=30)
    after_submit = {}

    def rows():
        return dict(
            Answer.objects.filter(attempt=attempt).values_list("question_id", "chosen_token")
        )

    def change(q):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            client.post(
                reverse("quiz:answer", args=[attempt.pk]),
                {"question": q.position, "choice": q.correct_token},
            )
        finally:
            connection.close()

    def submit():
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            assert client.post(reverse("quiz:submit", args=[attempt.pk])).status_code == 302
            after_submit.update(rows())
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(q,)) for q in questions]
    threads.insert(len(threads) // 4, threading.Thread(target=submit))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.is_finished
    assert rows() == after_submit
    outcomes = list(attempt.answers.values_list("outcome", flat=True))
    tally = Tally(outcomes.count("correct"), outcomes.count("wrong"), outcomes.count("unanswered"))
    assert (attempt.correct_count, attempt.wrong_count) == (tally.correct, tally.wrong)
    assert attempt.score == to_decimal(tally.score(attempt.marking()))


def _at_once(*calls) -> list[BaseException]:
    """Run ``calls`` in threads released together by a barrier; return what they raised."""
    barrier = threading.Barrier(len(calls), timeout=10)
    raised: list[BaseException] = []

    def run(call):
        barrier.wait()
        try:
            call()
        except BaseException as exc:  # reported to the test
            raised.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return raised


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(8))
def test_two_finishes_by_one_student_at_once_share_their_review_cards(trial):
    """A drill and a paper in two tabs, built from the same facts, finishing in the same
    instant: both create the student's first review card for each fact."""
    from quiz.models import Attempt, ReviewCard

    user = UserFactory()
    now = timezone.now()
    drill = start_attempt(user, now, n=3)
    # Another topic, so the two folds do not queue on one topic-progress row first.
    paper = Attempt.start(
        user,
        QuizFactory(question_count=3, timing="paper", paper_minutes=10),
        now,
        make_questions(3, topic="other"),
        seed=7,
    )
    paper.begin(now)
    for q in paper.questions.all():
        paper.answer(Attempt.Intent.SAVE, q.position, q.correct_token, now)
    drill.current_question(now)
    drill.answer(Attempt.Intent.SAVE, 1, drill.questions.get(position=1).correct_token, now)

    raised = _at_once(lambda: drill.finish(timezone.now()), lambda: paper.finish(timezone.now()))

    assert raised == []
    cards = ReviewCard.objects.filter(user=user)
    assert sorted(cards.values_list("fact_slug", flat=True)) == ["fact-1", "fact-2", "fact-3"]
    # Both reviews of fact-1 reached its card: the paper's and the drill's.
    assert cards.get(fact_slug="fact-1").reviews == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(3))
def test_two_folds_into_one_students_best_score_at_once_keep_both(trial):
    """Two finished attempts at one quiz folded into progress in the same instant (a live
    test's results published while a repair runs, say): both create the best-score row."""
    from quiz.models import Attempt, QuizStanding, ReviewCard, TopicProgress

    user = UserFactory()
    now = timezone.now()
    first = start_attempt(user, now, n=2, slug="same-quiz")
    first.finish(now)
    # Other facts and another topic: the two folds meet only on the best-score row.
    others = make_questions(2, topic="other")
    for q in others:
        q.facts = [f"other-{f}" for f in q.facts]
    second = Attempt.start(user, first.quiz, now, others, seed=8)
    second.finish(now)
    QuizStanding.objects.all().delete()
    ReviewCard.objects.all().delete()
    TopicProgress.objects.all().delete()
    Attempt.objects.update(progress_recorded=False)

    raised = _at_once(first.fold_into_progress, second.fold_into_progress)

    assert raised == []
    standing = QuizStanding.objects.get(user=user, quiz=first.quiz)
    assert standing.attempts == 2
    assert sorted(TopicProgress.objects.values_list("topic_slug", "unanswered")) == [
        ("dialogues", 2),
        ("other", 2),
    ]
