"""Taking, finishing and reviewing an attempt. One view answers both the full page and
the htmx fragment; every form also works as a plain POST without JavaScript."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quiz.flows import TooManyStarts, start_mistakes
from quiz.models import Answer, AnswerError, Attempt, AttemptQuestion
from quiz.params import int_param
from quiz.views.catalogue import too_many_starts


def _get_attempt_for_user(request: HttpRequest, pk: int) -> Attempt:
    """The user's own attempt, or 404 (another user's attempt does not exist for them)."""
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=pk, user=request.user)


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    html = render_to_string("quiz/_error.html", {"message": message}, request=request)
    return HttpResponseBadRequest(html)


@login_required
@require_GET
def attempt_page(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    now = timezone.now()
    attempt.expire_if_due(now)
    if attempt.is_finished:
        return _to_results(request, attempt)
    if attempt.is_drill:
        return _drill(request, attempt, now)
    return _paper(request, attempt, now)


def _drill(request: HttpRequest, attempt: Attempt, now) -> HttpResponse:
    feedback = int_param(request.GET, "feedback", None)
    if feedback is not None and attempt.is_practice:
        answered = (
            attempt.questions.select_related("answer")
            .filter(position=feedback, answer__isnull=False)
            .first()
        )
        if answered is not None:
            return _render_feedback(request, attempt, answered)
    return _show_question(request, attempt, attempt.current_question(now), now)


def _to_results(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """Go to the results: htmx needs HX-Redirect, a plain request a redirect."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("quiz:results", args=[attempt.pk])
        return response
    return redirect("quiz:results", pk=attempt.pk)


def _show_question(request: HttpRequest, attempt: Attempt, question, now) -> HttpResponse:
    """A drill question (the page, or the fragment for htmx); the results when none is left."""
    if question is None:
        return _to_results(request, attempt)
    template = "quiz/_drill_question.html" if request.htmx else "quiz/drill.html"
    return render(
        request,
        template,
        {
            "attempt": attempt,
            "question": question,
            "seconds_left": question.seconds_left(now),
            "total": attempt.question_total,
        },
    )


def _render_feedback(
    request: HttpRequest, attempt: Attempt, question: AttemptQuestion
) -> HttpResponse:
    context = {
        "attempt": attempt,
        "question": question,
        "answer": question.answer,
        "total": attempt.question_total,
    }
    template = "quiz/_drill_feedback.html" if request.htmx else "quiz/drill_feedback.html"
    return render(request, template, context)


def _paper(request: HttpRequest, attempt: Attempt, now) -> HttpResponse:
    questions = list(attempt.questions.select_related("answer").order_by("position"))
    position = int_param(request.GET, "q", 1)
    position = min(max(position, 1), len(questions))
    question = questions[position - 1]
    if question.served_at is None:
        question.visit(now)
    answer = getattr(question, "answer", None)
    return render(
        request,
        "quiz/paper.html",
        {
            "attempt": attempt,
            "questions": questions,
            "question": question,
            "answer": answer,
            "chosen": answer.chosen_token if answer else "",
            "seconds_left": max(0.0, (attempt.deadline - now).total_seconds()),
            "paper_seconds": (attempt.deadline - attempt.started_at).total_seconds(),
            "previous": position - 1 if position > 1 else None,
            "next": position + 1 if position < len(questions) else None,
            "answered": sum(
                1 for q in questions if getattr(q, "answer", None) and q.answer.chosen_token
            ),
        },
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    now = timezone.now()
    position = int_param(request.POST, "question")
    token = request.POST.get("choice", "")
    action = request.POST.get("action", "save")
    try:
        if action == "mark":
            attempt.toggle_mark(position, now)
            return redirect(f"{attempt.get_absolute_url()}?q={int(position)}")
        timed_out = request.POST.get("timeout") == "1"
        clear = timed_out or action == "clear"
        choice = "" if timed_out else token
        if attempt.is_drill and request.htmx and not attempt.is_practice:
            saved, following = attempt.submit_and_advance(position, choice, now, clear=clear)
        else:
            saved, _created = attempt.submit(position, choice, now, clear=clear)
    except AnswerError as exc:
        if attempt.is_finished:
            return redirect("quiz:results", pk=attempt.pk)
        return _bad_request(request, str(exc))
    if attempt.is_drill:
        if attempt.is_practice and saved is not None:
            if request.htmx:
                return _render_feedback(request, attempt, saved.question)
            return redirect(f"{attempt.get_absolute_url()}?feedback={saved.question.position}")
        if request.htmx:
            return _show_question(request, attempt, following, now)
        return redirect(attempt)
    # Paper: practice shows the feedback on the question's page; exam moves on.
    target = int(position)
    if action == "save" and not attempt.is_practice:
        target = min(target + 1, attempt.question_total)
    return redirect(f"{attempt.get_absolute_url()}?q={target}")


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_finished:
        attempt.finish(timezone.now())
    return redirect("quiz:results", pk=attempt.pk)


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    now = timezone.now()
    attempt.expire_if_due(now)
    if not attempt.is_finished:
        return redirect(attempt)
    if attempt.is_live:
        attempt.quiz.publish_results(now)
    if not attempt.is_released(now):
        return _received(request, attempt)
    questions = attempt.questions.select_related("answer").order_by("position")
    previous = (
        Attempt.objects.for_user(request.user)
        .filter(quiz=attempt.quiz, status=Attempt.Status.FINISHED, retry_of__isnull=True)
        .exclude(pk=attempt.pk)
        .filter(started_at__lt=attempt.started_at)
        .order_by("-started_at")
    )
    previous_list = list(previous[:5])
    avg_ms = attempt.answers.exclude(outcome=Answer.Outcome.UNANSWERED).aggregate(
        avg=Avg("elapsed_ms")
    )["avg"]
    tally = attempt.tally()
    accuracy = tally.accuracy()
    return render(
        request,
        "quiz/results.html",
        {
            "attempt": attempt,
            "questions": questions,
            "tally": tally,
            "accuracy": round(float(accuracy) * 100) if accuracy is not None else None,
            "avg_seconds": round(avg_ms / 1000, 1) if avg_ms is not None else None,
            "previous": previous_list,
            "best_previous": max((p.score for p in previous_list), default=None),
            "mistakes": tally.wrong + tally.unanswered,
        },
    )


def _received(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """A live test's sitting before the test closes: received, and when results come (the
    score, outcomes and key wait until everyone has finished)."""
    answered = attempt.answers.exclude(outcome=Answer.Outcome.UNANSWERED).count()
    return render(
        request,
        "quiz/received.html",
        {"attempt": attempt, "answered": answered, "publish_at": attempt.quiz.closes_at},
    )


@login_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz").prefetch_related(
            Prefetch(
                "questions",
                queryset=AttemptQuestion.objects.select_related("answer").order_by("position"),
            )
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
    except AnswerError as exc:
        return _bad_request(request, str(exc))
    return redirect(retry)
