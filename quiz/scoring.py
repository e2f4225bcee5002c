"""Marking arithmetic, exact (fractions) so −2/3 never drifts into −0.67 per answer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Marking:
    correct: Fraction = Fraction(2)
    # Share of the question's marks deducted for a wrong answer (UPSC: one third).
    penalty: Fraction = Fraction(1, 3)

    @property
    def wrong(self) -> Fraction:
        return -self.correct * self.penalty


@dataclass(frozen=True)
class Tally:
    correct: int
    wrong: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.correct + self.wrong + self.unanswered

    @property
    def answered(self) -> int:
        return self.correct + self.wrong

    def score(self, marking: Marking) -> Fraction:
        return self.correct * marking.correct + self.wrong * marking.wrong

    def accuracy(self) -> Fraction | None:
        """Share of answered questions that were right (None when nothing was answered)."""
        return Fraction(self.correct, self.answered) if self.answered else None


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )
