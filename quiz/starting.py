"""Starting attempts, by the quiz's kind: a regular (or quick) quiz draws from the bank, a
review-due quiz from the student's due facts, the bookmarks drill from their starred
questions, a live test hands out its frozen paper, and "practise my mistakes" retries an
attempt's misses. The one workflow spanning both apps
(``content`` builds the questions, ``quiz`` freezes them into an attempt).

Every refusal is a ``CannotStart`` (``TooManyStarts`` for the rate limit) whose message the
page shows."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from content.generator import CannotGenerate, Question, generate
from content.paper import build_paper, cached_paper
from content.servable import bank_from_db
from quiz import clock
from quiz.errors import CannotStart, PaperLocked, TooManyStarts
from quiz.models import Attempt, Bookmark, Quiz, ReviewCard


def check_start_rate(user, now: datetime) -> None:
    """A per-student limit on new attempts (counted in the database, so it holds however
    many app servers there are)."""
    window = settings.START_RATE_WINDOW
    recent = list(
        Attempt.objects.filter(user=user, started_at__gt=now - window)
        .order_by("-started_at")
        .values_list("started_at", flat=True)[: settings.START_RATE_LIMIT]
    )
    if len(recent) >= settings.START_RATE_LIMIT:
        # Free again when the oldest of the counted starts leaves the window.
        raise TooManyStarts(max(1, int((recent[-1] + window - now).total_seconds()) + 1))


def begin(user, quiz: Quiz, now: datetime) -> Attempt:
    """Start ``quiz`` for the student by its kind, or resume the attempt at it they already
    have running (a second tab, a double click, a back button all land on the same one)."""
    if quiz.is_live_test:  # its running or finished sitting is found there, in one query
        return start_live(user, quiz, now)
    running = Attempt.objects.filter(user=user, quiz=quiz, retry_of__isnull=True).resumable(now)
    if running is not None:
        return running
    check_start_rate(user, now)
    starters = {Quiz.Kind.REVIEW_DUE: start_review, Quiz.Kind.BOOKMARKS: start_bookmarks}
    starter = starters.get(quiz.kind, start_quiz)
    try:
        return starter(user, quiz, now)
    except IntegrityError:  # a concurrent Start won the race (quiz_attempt_one_in_progress)
        return Attempt.objects.for_user(user).in_progress().get(quiz=quiz, retry_of__isnull=True)


def start_quiz(user, quiz: Quiz, now: datetime) -> Attempt:
    """Draw ``quiz``'s questions from the published bank and freeze them into a new attempt.

    The seed is one of ``PAPER_VARIANTS``, so the papers a quiz hands out are few enough to
    be built once per content version and served from the cache (``cached_paper``) to
    every later start: a student sees a repeat paper on one start in ``PAPER_VARIANTS``."""
    seed = secrets.randbelow(settings.PAPER_VARIANTS)
    topics = [t.slug for t in quiz.topics.all()] or None
    questions = cached_paper(quiz.question_count, seed, topics=topics, styles=quiz.styles or None)
    return Attempt.start(user, quiz, now, questions, seed)


def start_mistakes(attempt: Attempt, now: datetime) -> Attempt:
    """A practice drill of the questions ``attempt`` got wrong or left unanswered (with new
    option tokens, so nothing from the old attempt's page reveals the new one). Resumes the
    drill already running for ``attempt``, if any."""
    if not attempt.is_released(now):
        raise CannotStart(
            "Your mistakes can be practised when the results are published, after the test closes."
        )
    running = attempt.retries.resumable(now)
    if running is not None:
        return running
    check_start_rate(attempt.user, now)
    missed = [
        q
        for q in attempt.questions.select_related("answer").order_by("position")
        if getattr(q, "answer", None) is None or not q.answer.is_correct
    ]
    if not missed:
        raise CannotStart("No mistakes to practise: every question was answered correctly.")
    return Attempt.start(
        attempt.user,
        attempt.quiz,
        now,
        [q.thaw() for q in missed],
        seed=attempt.seed,
        retry_of=attempt,
        title=f"Practise my mistakes: {attempt.title}",
        mode=Quiz.Mode.PRACTICE,
        timing=Quiz.Timing.DRILL,
    )


def start_review(user, quiz: Quiz, now: datetime) -> Attempt:
    """A practice drill of the facts whose FSRS review is due, most overdue first: for each,
    a question that asks about that fact (direct questions preferred)."""
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
        raise CannotStart("Nothing is due for review right now." + when)
    bank = bank_from_db()
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
        raise CannotStart("The facts due for review are no longer in the published bank.")
    return _practice_drill(user, quiz, now, questions, seed, "Review due")


def start_bookmarks(user, quiz: Quiz, now: datetime) -> Attempt:
    """A practice drill of the student's bookmarked questions (the oldest first, at most
    ``quiz.question_count``), each regenerated from the published bank: a corrected fact
    shows corrected, a withdrawn one is left out."""
    marks = list(Bookmark.objects.filter(user=user).order_by("created_at", "pk"))
    if not marks:
        raise CannotStart(
            "You have no bookmarks yet. Star a question while reviewing an attempt, "
            "then practise it here."
        )
    bank = bank_from_db()
    seed = secrets.randbelow(2**31)
    questions = []
    for mark in marks:
        template = bank.templates.get(mark.template_slug)
        fact = bank.facts.get(mark.anchor_fact)
        if template is None or fact is None:
            continue  # withdrawn or disputed since it was starred
        try:
            questions.append(generate(bank, template, fact, seed))
        except CannotGenerate:
            continue
        if len(questions) >= quiz.question_count:
            break
    if not questions:
        raise CannotStart(
            "Your bookmarked questions are no longer in the published bank "
            "(their facts are being corrected)."
        )
    random.Random(seed).shuffle(questions)
    return _practice_drill(user, quiz, now, questions, seed, "My bookmarks")


def _practice_drill(user, quiz: Quiz, now: datetime, questions, seed: int, title: str):
    """A personal drill in practice mode (feedback after each answer), whatever ``quiz``
    says: the review-due and bookmarks drills."""
    return Attempt.start(
        user,
        quiz,
        now,
        questions,
        seed,
        title=title,
        mode=Quiz.Mode.PRACTICE,
        timing=Quiz.Timing.DRILL,
    )


def prepare_live_paper(quiz: Quiz) -> int:
    """Generate the one paper every student of a live mock test will sit (before check-in).
    Returns the number of questions. Never replaces a paper once check-in has opened or
    anyone holds a sitting: checked before the build and again, under the quiz's row lock,
    just before the save, so a check-in meanwhile cannot leave two papers in one test."""
    _paper_may_change(quiz)
    topics = [t.slug for t in quiz.topics.all()] or None
    questions = build_paper(
        bank_from_db(),
        quiz.question_count,
        seed=quiz.pk,
        topics=topics,
        styles=quiz.styles or None,
    )
    if not questions:
        raise PaperLocked("The bank has no questions for this test's topics and styles.")
    with transaction.atomic():
        _paper_may_change(Quiz.objects.select_for_update().get(pk=quiz.pk))
        quiz.freeze_paper(questions)
    return len(questions)


def _paper_may_change(quiz: Quiz) -> None:
    # A minute's margin: a check-in request that read the old paper just before the
    # check-in instant must not copy a paper replaced in the same moment.
    if quiz.live_paper and timezone.now() >= quiz.check_in_at - timedelta(minutes=1):
        raise PaperLocked(
            f"Check-in for this test opens at {clock.label(quiz.check_in_at)}; "
            "its paper can no longer change."
        )
    if quiz.attempts.filter(is_live=True).exists():
        raise PaperLocked("Students have checked in with this paper; it can no longer change.")


def start_live(user, quiz: Quiz, now: datetime) -> Attempt:
    """Check in to, start or resume the student's one sitting of a live mock test. Nothing is
    generated here: the paper was frozen before check-in opened. From check-in (``LIVE_CHECK_IN``
    before the test) to the opening the sitting waits on its instructions, unbegun, so the
    opening instant only begins sittings that already exist (issue 12's calm start)."""
    # The attempt to resume (running, as ``begin`` resumes any quiz's) and the student's one
    # sitting (perhaps the same row) in one query: the herd's starts make no more than needed.
    mine = Attempt.objects.filter(user=user, quiz=quiz, retry_of__isnull=True)
    rows = list(mine.filter(Q(is_live=True) | Q(status=Attempt.Status.IN_PROGRESS)).order_by()[:2])
    running = next((a for a in rows if a.status == Attempt.Status.IN_PROGRESS), None)
    if running is not None and not running.expire_if_due(now):
        return running
    existing = next((a for a in rows if a.is_live), None)
    if existing is not None:
        return existing
    if now < quiz.check_in_at:
        raise CannotStart(
            f"Check-in for this test opens at {clock.label(quiz.check_in_at)}; "
            f"the test begins at {clock.label(quiz.opens_at)}."
        )
    if now >= quiz.closes_at:
        raise CannotStart("This test has closed. The rank list is published.")
    questions = quiz.thawed_paper()
    if not questions:
        raise CannotStart("This test's paper is not ready yet. Please try again shortly.")
    try:
        # Always exam mode: practice feedback would hand the key to everyone still sitting.
        return Attempt.start(
            user, quiz, now, questions, seed=quiz.pk, is_live=True, mode=Quiz.Mode.EXAM
        )
    except IntegrityError:  # a double click or a second tab started it a moment ago
        return Attempt.objects.get(user=user, quiz=quiz, is_live=True)
