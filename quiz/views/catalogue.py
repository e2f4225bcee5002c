"""The quiz catalogue, starting a quiz, and a live test's rank list."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from quiz.errors import CannotStart, TooManyStarts
from quiz.models import Attempt, Bookmark, Quiz, QuizChoice, display_name_of
from quiz.params import int_param
from quiz.scoring import ranks as rank_scores
from quiz.starting import begin


def too_many_starts(request: HttpRequest, exc: TooManyStarts) -> HttpResponse:
    response = render(request, "quiz/too_many_starts.html", {"message": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    # A live test's score is published when the test closes, not before.
    mine = Q(attempts__user=request.user, attempts__status=Attempt.Status.FINISHED)
    released = Q(attempts__is_live=False) | Q(closes_at__lte=now)
    quizzes = (
        Quiz.objects.filter(published=True, kind=Quiz.Kind.REGULAR)
        .annotate(best=Max("attempts__score", filter=mine & released))
        .prefetch_related("topics")
    )
    in_progress = Attempt.objects.for_user(request.user).in_progress().filter(deadline__gt=now)
    return render(
        request,
        "quiz/catalogue.html",
        {
            "quizzes": quizzes,
            "in_progress": in_progress[:5],
            "quick_ten": Quiz.objects.filter(kind=Quiz.Kind.QUICK, published=True).first(),
            # The student's last "build your own quiz" choice, to start again in one click.
            "choice": QuizChoice.objects.filter(user=request.user, quiz__isnull=False)
            .select_related("quiz")
            .first(),
            "bookmark_count": Bookmark.objects.filter(user=request.user).count(),
            "now": now,
            "check_in_minutes": round(settings.LIVE_CHECK_IN.total_seconds() / 60),
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
    except CannotStart as exc:
        messages.error(request, str(exc))
        return redirect("quiz:catalogue")
    return redirect(attempt)


@login_required
def ranks(request: HttpRequest, slug: str) -> HttpResponse:
    """The rank list of a live mock test, published once it closes."""
    quiz = get_object_or_404(Quiz, slug=slug, published=True, opens_at__isnull=False)
    now = timezone.now()
    if not quiz.is_closed(now):
        return render(request, "quiz/ranks.html", {"quiz": quiz, "pending": True})
    quiz.publish_results(now)
    sittings = list(
        quiz.attempts.filter(is_live=True, began_at__isnull=False)  # not the absent
        .finished()
        .select_related("user__profile")
        .order_by("-score", "finished_at", "pk")
    )
    rows = [
        {
            "rank": rank,
            "percentile": percentile,
            "attempt": a,
            "name": display_name_of(a.user),
            "mine": a.user_id == request.user.pk,
        }
        for a, (rank, percentile) in zip(
            sittings, rank_scores([a.score for a in sittings]), strict=True
        )
    ]
    page = Paginator(rows, 100).get_page(int_param(request.GET, "page", 1))
    mine = next((r for r in rows if r["mine"]), None)
    context = {"quiz": quiz, "page": page, "total": len(rows), "mine": mine}
    return render(request, "quiz/ranks.html", context)
