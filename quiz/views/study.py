"""Study tools: starring a question, reporting an error in one, the bookmarks page and its
drill, and "build your own quiz".

A question can be starred or reported only where its key is already on the student's
screen: in the review of a released attempt, or in practice feedback after answering it.
Never on an exam attempt still running, nor on a live test before it closes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from content.generator import STYLES
from content.models import Fact, Topic
from quiz.custom import start_bookmarks, start_custom
from quiz.errors import CannotStart, TooManyStarts
from quiz.models import Attempt, AttemptQuestion, Bookmark, ErrorReport, QuizChoice
from quiz.views.attempts import _bad_request, _get_attempt_for_user
from quiz.views.catalogue import too_many_starts

NOT_YET = (
    "You can star or report a question once its answer is shown: in the review after the "
    "results are out, or after answering it in practice."
)


def _shown_question(request: HttpRequest, pk: int, position: int):
    """(attempt, question) when the question's answer is already shown to the student, else
    (attempt, None). Another student's attempt is a 404."""
    attempt = _get_attempt_for_user(request, pk)
    question = get_object_or_404(
        AttemptQuestion.objects.select_related("answer"), attempt=attempt, position=position
    )
    now = timezone.now()
    attempt.expire_if_due(now)
    if attempt.is_released(now):
        return attempt, question
    answered = getattr(question, "answer", None) is not None
    if attempt.is_practice and not attempt.is_live and answered:
        return attempt, question  # practice feedback has shown this one
    return attempt, None


def _back(attempt: Attempt, question: AttemptQuestion) -> str:
    if attempt.is_finished:
        return f"{reverse('quiz:review', args=[attempt.pk])}#q{question.position}"
    if attempt.is_drill:
        return f"{attempt.get_absolute_url()}?feedback={question.position}"
    return f"{attempt.get_absolute_url()}?q={question.position}"


@login_required
@require_POST
def bookmark(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """Star or unstar a question (htmx: the button; plain: back where the student was)."""
    attempt, question = _shown_question(request, pk, position)
    if question is None:
        return _bad_request(request, NOT_YET)
    starred = Bookmark.toggle(request.user, question, timezone.now())
    if request.htmx:
        question.starred = starred
        return render(request, "quiz/_bookmark.html", {"attempt": attempt, "question": question})
    messages.success(request, "Bookmarked." if starred else "Bookmark removed.")
    return redirect(_back(attempt, question))


class ReportForm(forms.Form):
    problem = forms.CharField(
        label="What is wrong?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the year is 2018, not 2016; or two options are both right.",
        error_messages={"required": "Say in a few words what is wrong."},
    )
    source = forms.CharField(
        label="Source (optional)",
        max_length=500,
        required=False,
        help_text="Where you read otherwise: a link or a document and page.",
    )

    def clean_problem(self) -> str:
        problem = self.cleaned_data["problem"].strip()
        if len(problem) < 5:
            raise forms.ValidationError("Say in a few words what is wrong.")
        return problem


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """The report form for one question (GET), and filing it (POST)."""
    attempt, question = _shown_question(request, pk, position)
    if question is None:
        return _bad_request(request, NOT_YET)
    existing = ErrorReport.objects.filter(user=request.user, question=question).first()
    form = ReportForm(request.POST if request.method == "POST" else None)
    context = {"attempt": attempt, "question": question, "form": form, "report": existing}
    if request.method == "POST" and existing is None:
        if not form.is_valid():  # htmx swaps this 400 too: the form is data-show-errors
            template = "quiz/_report.html" if request.htmx else "quiz/report.html"
            return render(request, template, context, status=400)
        existing, _ = ErrorReport.file(
            request.user,
            question,
            form.cleaned_data["problem"],
            form.cleaned_data["source"].strip(),
            timezone.now(),
        )
        context["report"] = existing
        if not request.htmx:
            messages.success(
                request, "Thank you: the editors will check it and reply on your Progress page."
            )
            return redirect(_back(attempt, question))
    template = "quiz/_report.html" if request.htmx else "quiz/report.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET"])
def bookmarks(request: HttpRequest) -> HttpResponse:
    marks = list(Bookmark.objects.filter(user=request.user))
    names = dict(Topic.objects.values_list("slug", "name"))
    for mark in marks:
        mark.topic_name = names.get(mark.topic_slug, mark.topic_slug)
    return render(request, "quiz/bookmarks.html", {"bookmarks": marks})


@login_required
@require_POST
def unbookmark(request: HttpRequest, pk: int) -> HttpResponse:
    Bookmark.objects.filter(user=request.user, pk=pk).delete()
    messages.success(request, "Bookmark removed.")
    return redirect("quiz:bookmarks")


@login_required
@require_POST
def practise_bookmarks(request: HttpRequest) -> HttpResponse:
    try:
        attempt = start_bookmarks(request.user, timezone.now())
    except TooManyStarts as exc:
        return too_many_starts(request, exc)
    except CannotStart as exc:
        messages.error(request, str(exc))
        return redirect("quiz:bookmarks")
    return redirect(attempt)


STYLE_LABELS = {
    "mcq": "Direct questions",
    "statements": "Which statements are correct",
    "how_many": "How many statements are correct",
    "pairs": "How many pairs are correctly matched",
}
assert list(STYLE_LABELS) == list(STYLES)


class BuildForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label="Topics",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every topic.",
    )
    styles = forms.MultipleChoiceField(
        label="Question formats",
        choices=list(STYLE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every format.",
    )
    question_count = forms.IntegerField(
        label="Number of questions", min_value=1, max_value=QuizChoice.MAX_QUESTIONS
    )
    timing = forms.ChoiceField(
        label="Timing", choices=QuizChoice.Timing.choices, widget=forms.RadioSelect
    )
    feedback = forms.BooleanField(
        label="Show the answer after each question (practice)",
        required=False,
        help_text="Untimed practice always does.",
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = list(topics)


def _topic_choices() -> list[tuple[str, str]]:
    """Topics with at least one published fact (one query)."""
    with_facts = Fact.objects.servable().values("topic")
    return list(
        Topic.objects.filter(pk__in=with_facts)
        .order_by("order", "name")
        .values_list("slug", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def build(request: HttpRequest) -> HttpResponse:
    """Build your own quiz: the form, remembering the last choice, and Start."""
    choice = QuizChoice.objects.filter(user=request.user).first() or QuizChoice(user=request.user)
    initial = {
        "topics": choice.topics,
        "styles": choice.styles,
        "question_count": choice.question_count,
        "timing": choice.timing,
        "feedback": choice.feedback,
    }
    data = request.POST if request.method == "POST" else None
    form = BuildForm(data, initial=initial, topics=_topic_choices())
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "quiz/build.html", {"form": form}, status=status)
    now = timezone.now()
    for name in ("topics", "styles", "question_count", "timing", "feedback"):
        setattr(choice, name, form.cleaned_data[name])
    choice.updated_at = now
    choice.save()
    try:
        attempt, resumed = start_custom(request.user, choice, now)
    except TooManyStarts as exc:
        return too_many_starts(request, exc)
    except CannotStart as exc:
        form.add_error(None, str(exc))
        return render(request, "quiz/build.html", {"form": form}, status=400)
    if resumed:
        messages.info(
            request,
            "Your own quiz from earlier is still running: finish or submit it, "
            "then build a new one.",
        )
    elif attempt.question_total < choice.question_count:
        messages.info(
            request,
            f"Only {attempt.question_total} questions match your choice, so the quiz has "
            f"{attempt.question_total}.",
        )
    return redirect(attempt)
