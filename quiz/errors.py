"""Why a request was refused, named for what failed. Every message is safe to show."""

from __future__ import annotations


class QuizError(Exception):
    """A refusal the student (or editor) should read; the message says what to do."""


# -- answering ---------------------------------------------------------------------------


class AttemptFinished(QuizError):
    """The attempt is finished (submitted, or its time ran out): answers can no longer change."""

    def __init__(self) -> None:
        super().__init__("This attempt is already finished; answers can no longer change.")


class NoSuchQuestion(QuizError):
    """The form names a question this attempt does not have."""


class ForeignOption(QuizError):
    """The chosen option belongs to no option of this question (forged or stale)."""


class NotServedYet(QuizError):
    """A drill answer for a question whose clock has not started."""


class NoChoice(QuizError):
    """A save with no option chosen."""


class NotBegun(QuizError):
    """An answer to a paper whose student has not yet pressed "I am ready to begin"."""


class NotOpenYet(QuizError):
    """A checked-in live test's sitting begun before the test opens."""


# -- starting ----------------------------------------------------------------------------


class CannotStart(QuizError):
    """Nothing to start: no questions, nothing due, a live test not open, no mistakes…"""


class TooManyStarts(CannotStart):
    """The student started more attempts in the rate-limit window than anyone taking them
    could; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, round(retry_after / 60))
        super().__init__(
            "You have started many quizzes in the last few minutes. Finish one of them, or "
            f"try again in about {minutes} minute{'s' if minutes != 1 else ''}."
        )


class PaperLocked(QuizError):
    """A live test's paper cannot be (re)generated: it has opened, or the bank has nothing."""
