"""After an attempt: its results, the question-by-question review, and "practise my
mistakes". A live test's sitting shows "received" until the test closes for everyone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from content.models import Topic
from quiz.errors import CannotStart, TooManyStarts
from quiz.models import Answer, Attempt, AttemptQuestion, Bookmark, ErrorReport
from quiz.scoring import Tally, percent
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


def _topic_accuracy(attempt: Attempt) -> list[dict]:
    """The attempt's outcomes per topic, weakest first (two queries)."""
    rows = list(
        attempt.answers.values("topic_slug").annotate(**Answer.objects.tally_counts()).order_by()
    )
    names = dict(
        Topic.objects.filter(slug__in=[r["topic_slug"] for r in rows]).values_list("slug", "name")
    )
    out = []
    for row in rows:
        tally = Tally(row["correct"], row["wrong"], row["unanswered"])
        out.append(
            {
                "name": names.get(row["topic_slug"], row["topic_slug"]),
                "total": tally.total,
                "correct": tally.correct,
                "wrong": tally.wrong,
                "unanswered": tally.unanswered,
                "accuracy": percent(tally.correct, tally.answered),
            }
        )
    return sorted(out, key=lambda t: (t["accuracy"] is None, t["accuracy"] or 0, t["name"]))


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
        "topic_accuracy": _topic_accuracy(attempt),
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
    questions = list(attempt.questions.all())
    _mark_study_state(request.user, questions)
    show = request.GET.get("show", "all")
    if show not in REVIEW_FILTERS:
        show = "all"
    filters = [
        {
            "key": key,
            "label": label,
            "count": sum(1 for q in questions if REVIEW_FILTERS[key][1](q)),
        }
        for key, (label, _) in REVIEW_FILTERS.items()
    ]
    shown = [q for q in questions if REVIEW_FILTERS[show][1](q)]
    context = {"attempt": attempt, "questions": shown, "filters": filters, "show": show}
    return render(request, "quiz/review.html", context)


def _outcome(question: AttemptQuestion) -> str:
    answer = getattr(question, "answer", None)
    return answer.outcome if answer is not None else Answer.Outcome.UNANSWERED


# ?show= on the review page: its label and which questions it keeps.
REVIEW_FILTERS = {
    "all": ("All", lambda q: True),
    "wrong": ("Wrong", lambda q: _outcome(q) == Answer.Outcome.WRONG),
    "unanswered": ("Unanswered", lambda q: _outcome(q) == Answer.Outcome.UNANSWERED),
    "bookmarked": ("Bookmarked", lambda q: q.starred),
}


def _mark_study_state(user, questions: list[AttemptQuestion]) -> None:
    """Set ``starred`` and ``reported`` on each question (two queries for the whole list)."""
    starred = Bookmark.objects.keys_for(user, {q.question_key for q in questions})
    reports = {
        r.question_id: r
        for r in ErrorReport.objects.filter(user=user, question__in=[q.pk for q in questions])
    }
    for q in questions:
        q.starred = q.question_key in starred
        q.reported = reports.get(q.pk)


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
