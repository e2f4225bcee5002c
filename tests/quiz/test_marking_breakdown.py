"""The marking scheme on the results: marks gained for correct answers, marks lost to wrong
ones, and the score had the wrong ones been left blank."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from quiz.scoring import Marking, Tally
from tests.factories import start_attempt

pytestmark = pytest.mark.django_db


def _finish(student, picks, **fields):
    attempt = start_attempt(student, timezone.now(), n=len(picks), timing="paper", **fields)
    for q in attempt.questions.order_by("position"):
        pick = picks[q.position - 1]
        if pick is None:
            continue
        token = q.correct_token if pick else next(t for t in q.tokens() if t != q.correct_token)
        attempt.answer(attempt.Intent.SAVE, q.position, token, timezone.now())
    attempt.finish(timezone.now())
    return attempt


def test_the_results_take_the_score_apart(client, student, clock):
    attempt = _finish(student, [True, True, True, False, False, None], paper_minutes=10)
    client.force_login(student)
    html = client.get(f"/attempts/{attempt.pk}/results/").content.decode()
    assert "4.67</strong> / 12.00 marks" in html
    assert 'id="marks-gained" class="plus">+6.00<' in html
    assert 'id="marks-lost" class="minus">−1.33<' in html
    assert 'id="marks-without-wrong">6.00<' in html
    assert "more than 25% sure" in html
    assert "right on 60% of the questions you answered: answering gained you marks" in html


def test_the_breakdown_uses_the_quizs_own_marking(client, student, clock):
    attempt = _finish(
        student,
        [True, False, False, False],
        paper_minutes=5,
        marks_correct=Decimal("1"),
        penalty_numerator=1,
        penalty_denominator=2,
    )
    client.force_login(student)
    html = client.get(f"/attempts/{attempt.pk}/results/").content.decode()
    assert "Marking: +1 for a correct answer, −0.5 for a wrong one" in html
    assert 'id="marks-lost" class="minus">−1.50<' in html
    assert "more than 33% sure" in html
    assert "cost more than your right ones earned" in html


def test_the_arithmetic():
    upsc = Marking()
    assert upsc.printed() == {"correct": "+2", "wrong": "−2/3"}
    assert upsc.break_even == Fraction(1, 4)
    b = Tally(3, 3, 0).breakdown(upsc)
    assert (b["gained"], b["lost"], b["without_wrong"]) == (
        Decimal("6"),
        Decimal("2"),
        Decimal("6"),
    )
    assert b["answering"] == "gained" and b["accuracy"] == 50
    assert Tally(1, 3, 0).breakdown(upsc)["answering"] == "even"
    assert Tally(0, 0, 4).breakdown(upsc)["answering"] is None
    assert Marking(Fraction(5, 2), Fraction(1, 3)).printed() == {"correct": "+2.5", "wrong": "−5/6"}
