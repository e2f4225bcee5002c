"""The clock rules, in one place. The server owns the clock: every deadline is stored on
the attempt or its questions and checked against the ``now`` a request read once.

- A drill question gets its deadline when it is first served (``seconds_per_question``).
- A paper has one deadline: the moment the student pressed "I am ready to begin" plus its
  time limit. Until then (its instructions page) it waits as long as an abandoned drill may
  be resumed: reading the instructions costs no exam time.
- A drill can be resumed for ``DRILL_RESUME_HOURS`` (its attempt's ``deadline``).
- A live test's sitting never outlives the test (``closes_at``).
- An answer arriving within ``NETWORK_GRACE`` after a deadline still counts: it left the
  browser in time.

Pure functions of their arguments (and the one setting); no database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

# An answer that left the browser in time may reach us a little late.
NETWORK_GRACE = timedelta(seconds=2)


def resume_window() -> timedelta:
    """How long an abandoned drill may be resumed (``DRILL_RESUME_HOURS``)."""
    return settings.DRILL_RESUME_WINDOW


def is_past(deadline: datetime | None, now: datetime) -> bool:
    """Whether ``deadline`` (plus the network grace) has passed; no deadline never passes."""
    return deadline is not None and now > deadline + NETWORK_GRACE


def expired_before(now: datetime) -> datetime:
    """Deadlines earlier than this have passed, grace included (for database filters)."""
    return now - NETWORK_GRACE


def attempt_deadline(
    *, is_paper: bool, time_limit: timedelta, now: datetime, closes_at: datetime | None = None
) -> datetime:
    """The last deadline of an attempt whose clock starts ``now``: a paper's end, or how
    long a drill may be resumed; a live test's sitting ends when the test closes, whichever
    is first. (A paper's clock starts when the student is ready: ``Attempt.begin``.)"""
    deadline = now + (time_limit if is_paper else resume_window())
    return min(deadline, closes_at) if closes_at is not None else deadline


def question_deadline(served_at: datetime, seconds: int) -> datetime:
    """A drill question's deadline, from the moment it was served."""
    return served_at + timedelta(seconds=seconds)


def seconds_left(deadline: datetime | None, now: datetime) -> float:
    if deadline is None:
        return 0.0
    return max(0.0, (deadline - now).total_seconds())


def elapsed_ms(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds() * 1000))


def finished_at(*, is_paper: bool, deadline: datetime, now: datetime) -> datetime:
    """When an attempt finished: a paper that ran out of time closes at its deadline, not
    when it was next touched."""
    return min(now, deadline) if is_paper else now


def time_per_question(
    *, is_drill: bool, per_question: int, started: datetime, deadline: datetime, questions: int
) -> float:
    """A drill's limit per question, or a paper's time shared out over its questions."""
    if is_drill:
        return float(per_question)
    return (deadline - started).total_seconds() / questions if questions else 0.0


def label(moment: datetime) -> str:
    """A moment as the student's page prints it: "29 Nov 2026, 10:00" (local time)."""
    return timezone.localtime(moment).strftime("%-d %b %Y, %H:%M")
