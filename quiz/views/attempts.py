"""Taking an attempt: the question page, answering (save, clear, mark, time-out) and
submitting. One view answers both the full page and the htmx fragment; every form also
works as a plain POST without JavaScript."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quiz import clock
from quiz.errors import AttemptFinished, QuizError
from quiz.middleware import arrived_at
from quiz.models import Attempt, AttemptQuestion, Reply
from quiz.params import int_param


def _get_attempt_for_user(request: HttpRequest, pk: int) -> Attempt:
    """The user's own attempt, or 404 (another user's attempt does not exist for them)."""
    # Not the quiz's frozen live paper: decoding that JSON on every answer was a quarter of
    # the answer path's CPU (py-spy, issue 12).
    attempts = Attempt.objects.select_related("quiz").defer("quiz__live_paper")
    return get_object_or_404(attempts, pk=pk, user=request.user)


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    html = render_to_string("quiz/_error.html", {"message": message}, request=request)
    return HttpResponseBadRequest(html)


def _to_results(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """Go to the results: htmx needs HX-Redirect, a plain request a redirect."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("quiz:results", args=[attempt.pk])
        return response
    return redirect("quiz:results", pk=attempt.pk)


def _at_question(attempt: Attempt, position: int) -> HttpResponse:
    return redirect(f"{attempt.get_absolute_url()}?q={position}")


def _show_question(request: HttpRequest, attempt: Attempt, question, now) -> HttpResponse:
    """A drill question (the page, or the fragment for htmx); the results when none is left."""
    if question is None:
        return _to_results(request, attempt)
    template = "quiz/_drill_question.html" if request.htmx else "quiz/drill.html"
    context = {
        "attempt": attempt,
        "question": question,
        "seconds_left": question.seconds_left(now),
        "total": attempt.question_total,
    }
    return render(request, template, context)


def _render_feedback(request: HttpRequest, attempt: Attempt, question: AttemptQuestion):
    context = {
        "attempt": attempt,
        "question": question,
        "answer": question.answer,
        "total": attempt.question_total,
    }
    template = "quiz/_drill_feedback.html" if request.htmx else "quiz/drill_feedback.html"
    return render(request, template, context)


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


def _paper(request: HttpRequest, attempt: Attempt, now) -> HttpResponse:
    questions = list(attempt.questions.select_related("answer").order_by("position"))
    position = min(max(int_param(request.GET, "q", 1), 1), len(questions))
    question = questions[position - 1]
    if question.served_at is None:
        question.visit(now)
    answer = getattr(question, "answer", None)
    context = {
        "attempt": attempt,
        "questions": questions,
        "question": question,
        "answer": answer,
        "chosen": answer.chosen_token if answer else "",
        "seconds_left": clock.seconds_left(attempt.deadline, now),
        "paper_seconds": (attempt.deadline - attempt.started_at).total_seconds(),
        "previous": position - 1 if position > 1 else None,
        "next": position + 1 if position < len(questions) else None,
        "answered": sum(
            1 for q in questions if getattr(q, "answer", None) and q.answer.chosen_token
        ),
    }
    return render(request, "quiz/paper.html", context)


def _intent(data) -> Attempt.Intent:
    """What the form asked for: the drill's countdown posts timeout=1, buttons an action."""
    if data.get("timeout") == "1":
        return Attempt.Intent.TIME_OUT
    action = data.get("action", Attempt.Intent.SAVE)
    return Attempt.Intent(action) if action in Attempt.Intent.values else Attempt.Intent.SAVE


def _after_answer(request, attempt: Attempt, intent, reply: Reply, now) -> HttpResponse:
    """Where the student goes next: practice feedback, the next drill question, or (paper)
    the same question in practice and after a clear or mark, else the next one."""
    position = reply.question.position
    if intent == Attempt.Intent.MARK:
        return _at_question(attempt, position)
    if attempt.is_drill:
        if attempt.is_practice:
            if request.htmx:
                return _render_feedback(request, attempt, reply.answer.question)
            return redirect(f"{attempt.get_absolute_url()}?feedback={position}")
        if request.htmx:
            return _show_question(request, attempt, reply.following, now)
        return redirect(attempt)
    if intent == Attempt.Intent.SAVE and not attempt.is_practice:
        position = min(position + 1, attempt.question_total)
    return _at_question(attempt, position)


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


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save, clear, mark or time out one question (``Attempt.answer`` decides)."""
    attempt = _get_attempt_for_user(request, pk)
    now = arrived_at(request)  # judged by when it reached us, not after a server queue
    position = int_param(request.POST, "question")
    intent = _intent(request.POST)
    # A drill in exam mode over htmx gets the next question in the same transaction.
    advance = attempt.is_drill and request.htmx and not attempt.is_practice
    try:
        reply = attempt.answer(
            intent, position, request.POST.get("choice", ""), now, advance=advance
        )
    except AttemptFinished:
        return redirect("quiz:results", pk=attempt.pk)
    except QuizError as exc:
        return _bad_request(request, str(exc))
    return _after_answer(request, attempt, intent, reply, now)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_finished:
        attempt.finish(arrived_at(request))
    return redirect("quiz:results", pk=attempt.pk)
