from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from quiz.flows import REVIEW_DUE, start_quiz, start_review
from quiz.models import AnswerError, Attempt, Quiz

QUICK_TEN = "quick-10"


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    quizzes = (
        Quiz.objects.filter(published=True)
        .exclude(slug__in=[QUICK_TEN, REVIEW_DUE])
        .annotate(
            best=Max(
                "attempts__score",
                filter=Q(attempts__user=request.user, attempts__status=Attempt.Status.FINISHED),
            )
        )
        .prefetch_related("topics")
    )
    in_progress = (
        Attempt.objects.for_user(request.user).in_progress().filter(deadline__gt=timezone.now())
    )
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
    begin = start_review if quiz.slug == REVIEW_DUE else start_quiz
    try:
        attempt = begin(request.user, quiz, timezone.now())
    except AnswerError as exc:
        messages.error(request, str(exc))
        return redirect("quiz:catalogue")
    return redirect(attempt)
