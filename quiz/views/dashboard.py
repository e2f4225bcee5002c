"""The student's progress dashboard and their data export."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from content.models import Fact, Topic
from quiz import scoring
from quiz.charts import bar_chart, line_chart
from quiz.models import (
    Answer,
    Attempt,
    Bookmark,
    ErrorReport,
    Quiz,
    QuizStanding,
    ReviewCard,
    TopicProgress,
)
from quiz.scoring import Tally, percent, share_of_maximum


def _totals(progress: list[TopicProgress]) -> dict:
    tally = Tally(sum(p.correct for p in progress), sum(p.wrong for p in progress), 0)
    answered_ms = sum(p.answered_ms for p in progress)
    return {
        "answered": tally.answered,
        "seen": sum(p.seen for p in progress),
        "accuracy": percent(tally.correct, tally.answered),
        "avg_seconds": round(answered_ms / tally.answered / 1000, 1) if tally.answered else None,
    }


def _topic_rows(progress: list[TopicProgress]) -> list[dict]:
    names = dict(Topic.objects.values_list("slug", "name"))
    rows = (
        {
            "name": names.get(p.topic_slug, p.topic_slug),
            "accuracy": percent(p.correct, p.answered) or 0,
            "answered": p.answered,
            "correct": p.correct,
            "unanswered": p.unanswered,
        }
        for p in progress
    )
    return sorted(rows, key=lambda t: t["name"])


def _trend(finished: list[Attempt]) -> tuple[list, dict | None]:
    """Score as a share of the maximum, oldest first, and its chart."""
    trend = [
        (a.started_at, a, share_of_maximum(a.score, a.marks_correct, a.tally().total))
        for a in reversed(finished)
    ]
    if not trend:
        return trend, None
    # UPSC marking: all wrong is -1/3 of the maximum.
    points = [(a.started_at.strftime("%d %b"), p) for _, a, p in trend]
    return trend, line_chart(points, low=-34, high=100, ticks=[-25, 0, 25, 50, 75, 100])


def _standing_rows(user) -> list[dict]:
    standings = (
        QuizStanding.objects.filter(user=user)
        .select_related("quiz")
        .with_percentiles()
        .order_by("quiz__title")
    )
    return [
        {
            "quiz": s.quiz,
            "best": s.best_score,
            "attempts": s.attempts,
            "percentile": percent(s.at_or_below, s.students),
            "students": s.students,
        }
        for s in standings
    ]


def _missed_facts(user) -> list[dict]:
    """The ten facts the student misses most, with a readable label."""
    missed = list(
        ReviewCard.objects.filter(user=user, missed__gt=0).order_by("-missed", "fact_slug")[:10]
    )
    slugs = [c.fact_slug for c in missed]
    facts = {f.slug: f for f in Fact.objects.filter(slug__in=slugs).select_related("kind")}
    return [
        {
            "card": c,
            "fact": facts.get(c.fact_slug),
            "label": _fact_label(facts.get(c.fact_slug), c.fact_slug),
        }
        for c in missed
    ]


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


def _my_reports(user) -> list[ErrorReport]:
    """The student's error reports: replies first (newest decision first), then open ones."""
    return list(
        ErrorReport.objects.filter(user=user).order_by(
            F("closed_at").desc(nulls_last=True), "-created_at"
        )[:10]
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    today = timezone.localdate(now)
    progress = list(TopicProgress.objects.filter(user=user))
    topics = _topic_rows(progress)
    recent = Attempt.objects.for_user(user).released(now).select_related("quiz")
    finished = list(recent.order_by("-started_at")[:30])
    trend, trend_chart = _trend(finished)
    standings = _standing_rows(user)
    days = Attempt.objects.for_user(user).dates("started_at", "day", order="DESC")[:366]
    streak = scoring.streak(days, today)
    missed = _missed_facts(user)
    review_quiz = Quiz.objects.filter(kind=Quiz.Kind.REVIEW_DUE, published=True)
    due = ReviewCard.objects.filter(user=user).due_counts(_end_of(today), review_quiz)
    weakest = sorted((t for t in topics if t["answered"]), key=lambda t: t["accuracy"])[:1]
    reports = _my_reports(user)
    return render(
        request,
        "quiz/dashboard.html",
        {
            **_totals(progress),
            "streak": streak,
            "topics": topics,
            "topic_chart": bar_chart(
                [(t["name"], t["accuracy"], f"{t['accuracy']}%") for t in topics]
            ),
            "trend": trend,
            "trend_chart": trend_chart,
            "standings": standings,
            "missed": missed,
            "due_today": due["today"],
            "due_week": due["week"],
            "review_slug": due["review_slug"],
            "recent": finished[:10],
            "weakest": weakest[0] if weakest else None,
            "reports": reports,
            "replied": sum(1 for r in reports if not r.is_open),
            "bookmark_count": Bookmark.objects.filter(user=user).count(),
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
    "question_id",  # the column name stays: spreadsheets already use it
    "question",
    "your_answer",
    "correct_answer",
    "outcome",
    "seconds",
    "answered_at",
]


def _csv_cells(a: Answer) -> list:
    q = a.question
    return [
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
        for answer in answers.iterator(chunk_size=2000):
            yield writer.writerow(csv_safe(*_csv_cells(answer)))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="2plus2-answers-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response
