"""After an attempt: its results, the question-by-question review, and "practise my
mistakes". A live test's sitting shows "received" until the test closes for everyone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quiz.errors import CannotStart, TooManyStarts
from quiz.models import Attempt, AttemptQuestion
from quiz.starting import start_mistakes
from quiz.views.attempts import _bad_request, _get_attempt_for_user
from quiz.views.catalogue import too_many_starts


def _received(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """A live test's sitting before the test closes: received, and when results come (the
    score, outcomes and key wait until everyone has finished)."""
    answered = attempt.answers.answered().count()
    return render(
        request,
        "quiz/received.html",
        {"attempt": attempt, "answered": answered, "publish_at": attempt.quiz.closes_at},
    )


def _earlier_attempts(attempt: Attempt) -> list[Attempt]:
    """The student's last five finished first attempts at this quiz before this one."""
    return list(
        Attempt.objects.for_user(attempt.user_id)
        .finished()
        .filter(quiz=attempt.quiz, retry_of__isnull=True, started_at__lt=attempt.started_at)
        .exclude(pk=attempt.pk)
        .order_by("-started_at")[:5]
    )


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    now = timezone.now()
    attempt.expire_if_due(now)
    if not attempt.is_finished:
        return redirect(attempt)
    if attempt.is_live and not attempt.progress_recorded:
        attempt.quiz.publish_results(now)  # no-op until the test closes
    if not attempt.is_released(now):
        return _received(request, attempt)
    previous = _earlier_attempts(attempt)
    avg_ms = attempt.answers.answered().aggregate(avg=Avg("elapsed_ms"))["avg"]
    tally = attempt.tally()
    accuracy = tally.accuracy()
    context = {
        "attempt": attempt,
        "questions": attempt.questions.select_related("answer").order_by("position"),
        "tally": tally,
        "accuracy": round(float(accuracy) * 100) if accuracy is not None else None,
        "avg_seconds": round(avg_ms / 1000, 1) if avg_ms is not None else None,
        "previous": previous,
        "best_previous": max((p.score for p in previous), default=None),
        "mistakes": tally.wrong + tally.unanswered,
    }
    return render(request, "quiz/results.html", context)


@login_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    questions = AttemptQuestion.objects.select_related("answer").order_by("position")
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz").prefetch_related(
            Prefetch("questions", queryset=questions)
        ),
        pk=pk,
        user=request.user,
    )
    if not attempt.is_finished:
        return redirect(attempt)
    if not attempt.is_released(timezone.now()):
        return redirect("quiz:results", pk=attempt.pk)
    return render(request, "quiz/review.html", {"attempt": attempt})


@login_required
@require_POST
def mistakes(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_finished:
        return _bad_request(request, "Finish the attempt before practising its mistakes.")
    try:
        retry = start_mistakes(attempt, timezone.now())
    except TooManyStarts as exc:
        return too_many_starts(request, exc)
    except CannotStart as exc:
        return _bad_request(request, str(exc))
    return redirect(retry)
