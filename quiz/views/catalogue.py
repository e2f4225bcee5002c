from __future__ import annotations

import bisect

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from quiz.flows import REVIEW_DUE, TooManyStarts, begin
from quiz.models import AnswerError, Attempt, Quiz, display_name_of
from quiz.params import int_param

QUICK_TEN = "quick-10"


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    quizzes = (
        Quiz.objects.filter(published=True)
        .exclude(slug__in=[QUICK_TEN, REVIEW_DUE])
        .annotate(
            best=Max(
                "attempts__score",
                # A live test's score is published when the test closes, not before.
                filter=Q(attempts__user=request.user, attempts__status=Attempt.Status.FINISHED)
                & (Q(attempts__is_live=False) | Q(closes_at__lte=now)),
            )
        )
        .prefetch_related("topics")
    )
    in_progress = Attempt.objects.for_user(request.user).in_progress().filter(deadline__gt=now)
    return render(
        request,
        "quiz/catalogue.html",
        {
            "quizzes": quizzes,
            "in_progress": in_progress[:5],
            "quick_ten": Quiz.objects.filter(slug=QUICK_TEN, published=True).first(),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz, slug=slug, published=True)
    try:
        attempt = begin(request.user, quiz, timezone.now())
    except TooManyStarts as exc:
        return too_many_starts(request, exc)
    except AnswerError as exc:
        messages.error(request, str(exc))
        return redirect("quiz:catalogue")
    return redirect(attempt)


def too_many_starts(request: HttpRequest, exc: TooManyStarts) -> HttpResponse:
    response = render(request, "quiz/too_many_starts.html", {"message": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@login_required
def ranks(request: HttpRequest, slug: str) -> HttpResponse:
    """The rank list of a live mock test, published once it closes."""
    quiz = get_object_or_404(Quiz, slug=slug, published=True, opens_at__isnull=False)
    now = timezone.now()
    if not quiz.is_closed(now):
        return render(request, "quiz/ranks.html", {"quiz": quiz, "pending": True}, status=200)
    quiz.publish_results(now)
    sittings = list(
        Attempt.objects.filter(quiz=quiz, is_live=True, status=Attempt.Status.FINISHED)
        .select_related("user__profile")
        .order_by("-score", "finished_at", "pk")
    )
    total = len(sittings)
    rows, previous, rank = [], None, 0
    for index, a in enumerate(sittings, 1):
        if a.score != previous:
            rank, previous = index, a.score
        rows.append(
            {
                "rank": rank,
                "attempt": a,
                "name": display_name_of(a.user),
                "mine": a.user_id == request.user.pk,
            }
        )
    scores = sorted(a.score for a in sittings)
    for row in rows:
        # Percentile: the share of sittings at or below this score.
        row["percentile"] = round(100 * bisect.bisect_right(scores, row["attempt"].score) / total)
    page = Paginator(rows, 100).get_page(int_param(request.GET, "page", 1))
    mine = next((r for r in rows if r["mine"]), None)
    return render(
        request, "quiz/ranks.html", {"quiz": quiz, "page": page, "total": total, "mine": mine}
    )
