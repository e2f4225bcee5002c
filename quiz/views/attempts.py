"""Taking an attempt: a paper's instructions and "I am ready to begin", the question page,
answering (the NTA buttons; a drill's skip and time-out), the submit summary and
submitting. One view answers both the full page and the htmx fragment; every form also
works as a plain POST without JavaScript."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quiz import clock
from quiz.errors import AttemptFinished, NoChoice, NotBegun, NotOpenYet, QuizError
from quiz.middleware import arrived_at
from quiz.models import Attempt, AttemptQuestion, Reply
from quiz.params import int_param


def _get_attempt_for_user(request: HttpRequest, pk: int, lock: bool = False) -> Attempt:
    """The user's own attempt, or 404 (another user's attempt does not exist for them).
    ``lock``: also take its row lock (inside the caller's transaction), in the same query."""
    if lock:
        # Not the quiz: no answer reads it but the last (finishing a live sitting loads it).
        attempts = Attempt.objects.select_for_update()
        return get_object_or_404(attempts, pk=pk, user=request.user)
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


def _show_question(
    request: HttpRequest, attempt: Attempt, question, now, message: str = "", status: int = 200
) -> HttpResponse:
    """A drill question (the page, or the fragment for htmx); the results when none is left.
    ``message``: why the last answer was not taken, shown above the options."""
    if question is None:
        return _to_results(request, attempt)
    template = "quiz/_drill_question.html" if request.htmx else "quiz/drill.html"
    context = {
        "attempt": attempt,
        "question": question,
        "seconds_left": question.seconds_left(now),
        "total": attempt.question_total,
        "message": message,
    }
    return render(request, template, context, status=status)


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


def _instructions(
    request: HttpRequest, attempt: Attempt, now, message: str = "", status: int = 200
) -> HttpResponse:
    """Before the clock starts: what the exam hall says before "begin" (a paper's, or a
    live test's checked-in sitting waiting for the opening: no question shows until then)."""
    opens_in = (attempt.quiz.opens_at - now).total_seconds() if attempt.is_live else 0
    context = {
        "attempt": attempt,
        "minutes": round(attempt.paper_seconds / 60),
        "legend": [(state, None) for state in AttemptQuestion.State],
        "opens_in": max(0, opens_in),
        "message": message,
    }
    return render(request, "quiz/instructions.html", context, status=status)


def _paper(
    request: HttpRequest,
    attempt: Attempt,
    now,
    position: int | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    """A paper question with its palette. ``message``: why the last save was not taken
    (the student stays on the question, the page around it intact)."""
    questions = list(attempt.questions.select_related("answer").order_by("position"))
    if position is None:
        position = int_param(request.GET, "q", 1)
    position = min(max(position, 1), len(questions))
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
        "paper_seconds": attempt.paper_seconds,
        "previous": position - 1 if position > 1 else None,
        "next": position + 1 if position < len(questions) else None,
        "legend": AttemptQuestion.count_states(questions),
        "message": message,
    }
    return render(request, "quiz/paper.html", context, status=status)


def _intent(data) -> Attempt.Intent:
    """What the form asked for: the drill's countdown posts timeout=1, buttons an action."""
    if data.get("timeout") == "1":
        return Attempt.Intent.TIME_OUT
    action = data.get("action", Attempt.Intent.SAVE)
    return Attempt.Intent(action) if action in Attempt.Intent.values else Attempt.Intent.SAVE


def _after_answer(request, attempt: Attempt, intent, reply: Reply, now) -> HttpResponse:
    """Where the student goes next: practice feedback, the next drill question, or (paper)
    the same question after a clear and in practice, else the next one (as the NTA
    buttons say: "Save & Next", "Save & Mark for Review", "Mark for Review & Next")."""
    position = reply.question.position
    if attempt.is_drill:
        if intent == Attempt.Intent.SKIP and attempt.is_practice:
            # A skip has nothing to give feedback on: straight to the next question.
            if request.htmx:
                return _show_question(request, attempt, attempt.current_question(now), now)
            return redirect(attempt)
        if attempt.is_practice:
            if request.htmx:
                return _render_feedback(request, attempt, reply.answer.question)
            return redirect(f"{attempt.get_absolute_url()}?feedback={position}")
        if request.htmx:
            return _show_question(request, attempt, reply.following, now)
        return redirect(attempt)
    moves_on = intent in (Attempt.Intent.SAVE, Attempt.Intent.SAVE_MARK, Attempt.Intent.MARK)
    if moves_on and not (attempt.is_practice and reply.answer and reply.answer.chosen_token):
        position = min(position + 1, attempt.question_total)
    return _at_question(attempt, position)


def _not_taken(request: HttpRequest, attempt: Attempt, position: int, message: str, now):
    """A save the student must redo (no option chosen): the same question again, with the
    reason beside the options — in the paper or the drill, never a bare error page. A plain
    POST gets a 400 with the whole page; htmx a 200 (it swaps only 2xx): the drill's
    fragment, or the paper page (papers are plain forms)."""
    status = 200 if request.htmx else 400
    if attempt.is_drill:
        question = attempt.questions.filter(position=position).first()
        return _show_question(request, attempt, question, now, message, status)
    return _paper(request, attempt, now, position, message, status)


@login_required
@require_GET
def attempt_page(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    now = timezone.now()
    attempt.expire_if_due(now)
    if attempt.is_finished:
        return _to_results(request, attempt)
    if not attempt.has_begun:
        if not attempt.is_drill:
            return _instructions(request, attempt, now)
        try:
            # A checked-in live drill: its "Begin" is this page (one request for the opening
            # herd); its clocks are per question, started as each is served.
            attempt.begin(now)
        except NotOpenYet as exc:  # the lobby; "Begin" pressed early (no script) says why
            return _instructions(request, attempt, now, str(exc) if "begin" in request.GET else "")
    if attempt.is_drill:
        return _drill(request, attempt, now)
    return _paper(request, attempt, now)


@login_required
@require_POST
def begin(request: HttpRequest, pk: int) -> HttpResponse:
    """ "I am ready to begin": the paper's clock starts now (a second press changes nothing)."""
    attempt = _get_attempt_for_user(request, pk)
    now = timezone.now()
    attempt.expire_if_due(now)
    if attempt.is_finished:
        return _to_results(request, attempt)
    try:
        attempt.begin(now)
    except NotOpenYet as exc:  # the lobby again, with why (a 400: nothing was done)
        return _instructions(request, attempt, now, str(exc), status=400)
    return _at_question(attempt, 1)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save, clear, mark or time out one question (``Attempt.answer`` decides)."""
    try:
        return _answer(request, pk)
    except IntegrityError:
        # A concurrent duplicate got past the lock (the constraint held): once more, and
        # the answer that won stands.
        return _answer(request, pk)


def _answer(request: HttpRequest, pk: int) -> HttpResponse:
    now = arrived_at(request)  # judged by when it reached us, not after a server queue
    position = int_param(request.POST, "question")
    intent = _intent(request.POST)
    # One transaction from the first query: the attempt is read, found to be the student's
    # own and locked in one statement (issue 12), and the answer written under that lock.
    with transaction.atomic():
        attempt = _get_attempt_for_user(request, pk, lock=True)
        # A drill in exam mode over htmx gets the next question in the same transaction.
        advance = attempt.is_drill and request.htmx and not attempt.is_practice
        choice = request.POST.get("choice", "")
        try:
            reply = attempt.answer(intent, position, choice, now, advance=advance, locked=True)
        except QuizError as exc:  # caught inside: a finish on the way (time up) is kept
            error = exc
        else:
            error = None
    # Rendered after the commit: the lock (SQLite's, the whole database's) is not held.
    if error is None:
        return _after_answer(request, attempt, intent, reply, now)
    if isinstance(error, AttemptFinished):
        return redirect("quiz:results", pk=attempt.pk)
    if isinstance(error, NotBegun):
        return redirect(attempt)
    if isinstance(error, NoChoice):
        return _not_taken(request, attempt, position, str(error), now)
    return _bad_request(request, str(error))


@login_required
@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """Before submitting a paper: how many questions stand in each palette state, and a
    confirmation (running out of time submits without it)."""
    attempt = _get_attempt_for_user(request, pk)
    now = timezone.now()
    attempt.expire_if_due(now)
    if attempt.is_finished:
        return _to_results(request, attempt)
    if attempt.is_drill or not attempt.has_begun:
        return redirect(attempt)
    questions = list(attempt.questions.select_related("answer"))
    context = {
        "attempt": attempt,
        "groups": AttemptQuestion.group_states(questions),
        "total": len(questions),
        "seconds_left": clock.seconds_left(attempt.deadline, now),
        "paper_seconds": attempt.paper_seconds,
    }
    return render(request, "quiz/summary.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.has_begun:  # nothing to submit: back to the instructions
        return redirect(attempt)
    if not attempt.is_finished:
        attempt.finish(arrived_at(request))
    return redirect("quiz:results", pk=attempt.pk)
