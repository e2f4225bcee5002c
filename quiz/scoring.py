"""Marking, outcomes, tallies, streaks and ranks: pure arithmetic, no database.

Marking is exact (fractions) so −2/3 never drifts into −0.67 per answer."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import models


class Outcome(models.TextChoices):
    CORRECT = "correct", "Correct"
    WRONG = "wrong", "Wrong"
    UNANSWERED = "unanswered", "Unanswered"


def judge(correct_token: str, token: str) -> Outcome:
    """The outcome of choosing ``token`` (empty: no choice) when ``correct_token`` is right."""
    if not token:
        return Outcome.UNANSWERED
    return Outcome.CORRECT if token == correct_token else Outcome.WRONG


def _marks(value: Fraction) -> str:
    """Marks as an exam prints them: 2, 0.5, 2/3 (a fraction when no short decimal is)."""
    if value.denominator == 1:
        return str(value.numerator)
    if 10_000 % value.denominator == 0:
        return f"{value.numerator / value.denominator:g}"
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class Marking:
    correct: Fraction = Fraction(2)
    # Share of the question's marks deducted for a wrong answer (UPSC: one third).
    penalty: Fraction = Fraction(1, 3)

    @classmethod
    def of(cls, marked) -> Marking:
        """The marking of a quiz or an attempt (both carry the three marking fields)."""
        return cls(
            Fraction(str(marked.marks_correct)),
            Fraction(marked.penalty_numerator, marked.penalty_denominator),
        )

    @property
    def wrong(self) -> Fraction:
        return -self.correct * self.penalty

    def printed(self) -> dict[str, str]:
        """The scheme as the instructions and the paper print it: "+2", "−2/3"."""
        return {"correct": f"+{_marks(self.correct)}", "wrong": f"−{_marks(-self.wrong)}"}

    @property
    def break_even(self) -> Fraction:
        """How sure of an answer a student must be for answering to pay on average: above
        this chance of being right, a guess gains marks; below, it loses them (UPSC: 1/4)."""
        return self.penalty / (1 + self.penalty)


@dataclass(frozen=True)
class Tally:
    correct: int
    wrong: int
    unanswered: int

    @classmethod
    def of(cls, outcomes: Iterable[str]) -> Tally:
        outcomes = list(outcomes)
        return cls(
            outcomes.count(Outcome.CORRECT),
            outcomes.count(Outcome.WRONG),
            outcomes.count(Outcome.UNANSWERED),
        )

    @property
    def total(self) -> int:
        return self.correct + self.wrong + self.unanswered

    @property
    def answered(self) -> int:
        return self.correct + self.wrong

    def score(self, marking: Marking) -> Fraction:
        return self.correct * marking.correct + self.wrong * marking.wrong

    def gained(self, marking: Marking) -> Fraction:
        """Marks earned by the correct answers."""
        return self.correct * marking.correct

    def lost(self, marking: Marking) -> Fraction:
        """Marks the wrong answers took away (a positive number)."""
        return self.wrong * -marking.wrong

    def breakdown(self, marking: Marking) -> dict:
        """The score taken apart: marks gained for correct answers, marks lost to wrong
        ones, the score had the wrong ones been left blank, and whether answering paid."""
        score, accuracy = self.score(marking), self.accuracy()
        return {
            "gained": to_decimal(self.gained(marking)),
            "lost": to_decimal(self.lost(marking)),
            "without_wrong": to_decimal(self.gained(marking)),
            "break_even": round(100 * marking.break_even),
            "accuracy": None if accuracy is None else round(100 * accuracy),
            # "gained", "even" or "cost" overall (None: nothing answered).
            "answering": None
            if not self.answered
            else ("gained" if score > 0 else "even" if score == 0 else "cost"),
        }

    def accuracy(self) -> Fraction | None:
        """Share of answered questions that were right (None when nothing was answered)."""
        return Fraction(self.correct, self.answered) if self.answered else None


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def percent(part: float, whole: float) -> int | None:
    """``part`` as a whole-number percentage of ``whole`` (None when ``whole`` is 0)."""
    return round(100 * part / whole) if whole else None


def share_of_maximum(score: Decimal, marks_correct: Decimal, questions: int) -> int:
    """A score as a percentage of the most it could have been (0 for an empty attempt)."""
    return percent(float(score), float(marks_correct) * questions) or 0


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive study days ending today (or yesterday, if today has no study yet)."""
    seen = set(days)
    day = today if today in seen else today - timedelta(days=1)
    count = 0
    while day in seen:
        count += 1
        day -= timedelta(days=1)
    return count


def ranks(scores: list[Decimal]) -> list[tuple[int, int]]:
    """(rank, percentile) for each score of a list sorted best first. Equal scores share
    the rank of the first of them; the percentile is the share of scores at or below."""
    ascending = sorted(scores)
    out, previous, rank = [], None, 0
    for index, score in enumerate(scores, 1):
        if score != previous:
            rank, previous = index, score
        out.append((rank, percent(bisect.bisect_right(ascending, score), len(scores))))
    return out
