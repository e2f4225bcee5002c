"""The student's progress dashboard and their data export."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from content.models import Fact, Topic
from quiz.charts import bar_chart, line_chart
from quiz.models import Answer, Attempt, QuizStanding, ReviewCard, TopicProgress


def _count_subquery(queryset) -> Subquery:
    return Subquery(
        queryset.order_by().values("quiz").annotate(c=Count("pk")).values("c")[:1],
        output_field=IntegerField(),
    )


def _streak(days: list, today) -> int:
    """Consecutive study days ending today (or yesterday, if today has no study yet)."""
    seen = set(days)
    day = today if today in seen else today - timedelta(days=1)
    streak = 0
    while day in seen:
        streak += 1
        day -= timedelta(days=1)
    return streak


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)

    progress = list(TopicProgress.objects.filter(user=user))
    names = dict(Topic.objects.values_list("slug", "name"))
    finished = list(
        Attempt.objects.filter(user=user)
        .released(now)
        .select_related("quiz")
        .order_by("-started_at")[:30]
    )
    standings = list(
        QuizStanding.objects.filter(user=user)
        .select_related("quiz")
        .annotate(
            at_or_below=Coalesce(
                _count_subquery(
                    QuizStanding.objects.filter(
                        quiz=OuterRef("quiz"), best_score__lte=OuterRef("best_score")
                    )
                ),
                0,
            ),
            students=Coalesce(
                _count_subquery(QuizStanding.objects.filter(quiz=OuterRef("quiz"))), 0
            ),
        )
        .order_by("quiz__title")
    )
    days = list(Attempt.objects.filter(user=user).dates("started_at", "day", order="DESC")[:366])
    missed = list(
        ReviewCard.objects.filter(user=user, missed__gt=0).order_by("-missed", "fact_slug")[:10]
    )
    facts = {
        f.slug: f
        for f in Fact.objects.filter(slug__in=[c.fact_slug for c in missed]).select_related("kind")
    }
    end_of_today = timezone.make_aware(
        timezone.datetime.combine(today + timedelta(days=1), timezone.datetime.min.time())
    )
    due = ReviewCard.objects.filter(user=user).aggregate(
        today=Count("pk", filter=Q(due__lt=end_of_today)),
        week=Count("pk", filter=Q(due__lt=end_of_today + timedelta(days=7))),
    )

    correct = sum(p.correct for p in progress)
    answered = sum(p.answered for p in progress)
    seen = sum(p.seen for p in progress)
    answered_ms = sum(p.answered_ms for p in progress)
    topics = sorted(
        (
            {
                "name": names.get(p.topic_slug, p.topic_slug),
                "accuracy": round(100 * p.correct / p.answered) if p.answered else 0,
                "answered": p.answered,
                "correct": p.correct,
                "unanswered": p.unanswered,
            }
            for p in progress
        ),
        key=lambda t: t["name"],
    )
    trend = []
    for attempt in reversed(finished):
        total = attempt.correct_count + attempt.wrong_count + attempt.unanswered_count
        best = float(attempt.marks_correct) * total
        percent = round(100 * float(attempt.score) / best) if best else 0
        trend.append((attempt.started_at, attempt, percent))
    weakest = sorted((t for t in topics if t["answered"]), key=lambda t: t["accuracy"])[:1]
    return render(
        request,
        "quiz/dashboard.html",
        {
            "answered": answered,
            "seen": seen,
            "accuracy": round(100 * correct / answered) if answered else None,
            "avg_seconds": round(answered_ms / answered / 1000, 1) if answered else None,
            "streak": _streak(days, today),
            "topics": topics,
            "topic_chart": bar_chart(
                [(t["name"], t["accuracy"], f"{t['accuracy']}%") for t in topics]
            ),
            "trend": trend,
            "trend_chart": line_chart(
                # UPSC marking: all wrong is -1/3 of the maximum.
                [(a.started_at.strftime("%d %b"), p) for _, a, p in trend],
                low=-34,
                high=100,
                ticks=[-25, 0, 25, 50, 75, 100],
            )
            if len(trend) >= 1
            else None,
            "standings": [
                {
                    "quiz": s.quiz,
                    "best": s.best_score,
                    "attempts": s.attempts,
                    "percentile": round(100 * s.at_or_below / s.students) if s.students else None,
                    "students": s.students,
                }
                for s in standings
            ],
            "missed": [
                {
                    "card": c,
                    "fact": facts.get(c.fact_slug),
                    "label": _fact_label(facts.get(c.fact_slug), c.fact_slug),
                }
                for c in missed
            ],
            "due_today": due["today"],
            "due_week": due["week"],
            "recent": finished[:10],
            "weakest": weakest[0] if weakest else None,
        },
    )


def _fact_label(fact, slug: str) -> str:
    if fact is None:
        return slug
    try:
        return fact.kind.fact_label(fact.values)
    except Exception:  # a schema edit may have orphaned a value; show the slug instead
        return slug


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# Injection"): such cells get a leading apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(*cells) -> list:
    """The row's cells, with text that a spreadsheet would run as a formula neutralised.
    Numbers stay numbers (a negative score is not a formula)."""
    return [
        "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS) else cell
        for cell in cells
    ]


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = [
    "attempt",
    "quiz",
    "attempt_started_at",
    "mode",
    "timing",
    "attempt_score",
    "question_number",
    "topic",
    "question_id",
    "question",
    "your_answer",
    "correct_answer",
    "outcome",
    "seconds",
    "answered_at",
]


@login_required
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every answer the student gave, streamed (constant memory however long the history)."""
    # Only attempts whose results are out: an attempt in progress, or a live test still
    # open, would otherwise hand the student an answer key.
    released = Attempt.objects.filter(user=request.user).released(timezone.now())
    answers = (
        Answer.objects.filter(user=request.user, attempt__in=released)
        .select_related("attempt", "question")
        .order_by("answered_at", "pk")
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for a in answers.iterator(chunk_size=2000):
            q = a.question
            yield writer.writerow(
                csv_safe(
                    a.attempt_id,
                    a.attempt.title,
                    a.attempt.started_at.isoformat(),
                    a.attempt.mode,
                    a.attempt.timing,
                    a.attempt.score if a.attempt.score is not None else "",
                    q.position,
                    a.topic_slug,
                    a.question_key,
                    " / ".join(q.stem.splitlines()),
                    a.chosen_text,
                    q.correct_text,
                    a.outcome,
                    "" if a.elapsed_ms is None else f"{a.elapsed_ms / 1000:.1f}",
                    a.answered_at.isoformat(),
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="2plus2-answers-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response
