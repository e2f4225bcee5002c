"""Item analysis and content coverage for editors (staff only)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Avg, Count, F, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from content.bank import load_bank_from_db
from content.generator import Question, generate_all
from content.models import Fact, QuestionTemplate, Topic
from quiz.models import Answer, TopicProgress
from quiz.params import int_param

# Thresholds for flagging an item, in one place.
MIN_SERVED = 20  # fewer answers than this: too little evidence to flag
TOO_EASY = 0.90  # facility above this
TOO_HARD = 0.30  # facility below this
GROUP_SHARE = 0.27  # Kelley's upper and lower groups


def _staff_only(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Item analysis is for editors.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)


def student_groups() -> tuple[list[int], list[int]]:
    """Top and bottom 27% of students by their share of correct answers overall."""
    totals = (
        TopicProgress.objects.values("user")
        .annotate(right=Sum("correct"), seen=Sum(F("correct") + F("wrong") + F("unanswered")))
        .filter(seen__gt=0)
        .order_by()
    )
    ranked = sorted(totals, key=lambda r: (r["right"] / r["seen"], r["user"]))
    k = math.ceil(len(ranked) * GROUP_SHARE) if len(ranked) >= 4 else 0
    lower = [r["user"] for r in ranked[:k]]
    upper = [r["user"] for r in ranked[len(ranked) - k :]] if k else []
    return upper, lower


def item_statistics() -> list[dict]:
    upper, lower = student_groups()
    answered = ~Q(outcome=Answer.Outcome.UNANSWERED)
    rows = list(
        # Grouping by the question key alone lets the covering index quiz_answer_item answer
        # this without reading the table; the template is the key's first part.
        Answer.objects.values("question_key")
        .annotate(
            served=Count("pk"),
            correct=Count("pk", filter=Q(outcome=Answer.Outcome.CORRECT)),
            timeouts=Count("pk", filter=Q(outcome=Answer.Outcome.UNANSWERED)),
            mean_ms=Avg("elapsed_ms", filter=answered),
            upper_n=Count("pk", filter=Q(user__in=upper)),
            upper_c=Count("pk", filter=Q(user__in=upper, outcome=Answer.Outcome.CORRECT)),
            lower_n=Count("pk", filter=Q(user__in=lower)),
            lower_c=Count("pk", filter=Q(user__in=lower, outcome=Answer.Outcome.CORRECT)),
        )
        .order_by("question_key")
    )
    picks: dict[str, Counter] = defaultdict(Counter)
    # The outcome is a literal, not a bound parameter, on purpose: SQLite only uses the
    # partial index quiz_answer_wrong_choice when the query's WHERE clause visibly implies
    # the index's condition (0.04 s instead of 0.7 s over a million answers).
    table = Answer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT question_key, chosen_text, COUNT(*) FROM {table} "
            f"WHERE outcome = '{Answer.Outcome.WRONG}' GROUP BY question_key, chosen_text"
        )
        for key, text, n in cursor.fetchall():
            picks[key][text] = n
    for row in rows:
        row["template_slug"] = row["question_key"].split(":", 1)[0]
        row["facility"] = row["correct"] / row["served"] if row["served"] else None
        if row["upper_n"] and row["lower_n"]:
            row["discrimination"] = (
                row["upper_c"] / row["upper_n"] - row["lower_c"] / row["lower_n"]
            )
        else:
            row["discrimination"] = None
        row["mean_seconds"] = (
            round(row["mean_ms"] / 1000, 1) if row["mean_ms"] is not None else None
        )
        row["distractors"] = picks[row["question_key"]].most_common(3)
        row["flags"] = flags_for(row)
    return rows


def flags_for(row: dict) -> list[str]:
    if row["served"] < MIN_SERVED:
        return []
    flags = []
    if row["facility"] is not None and row["facility"] > TOO_EASY:
        flags.append("too easy")
    if row["facility"] is not None and row["facility"] < TOO_HARD:
        flags.append("too hard")
    if row["discrimination"] is not None and row["discrimination"] < 0:
        flags.append("negative discrimination")
    return flags


def _by_template(rows: list[dict]) -> list[dict]:
    out: dict[str, dict] = {}
    for row in rows:
        t = out.setdefault(
            row["template_slug"],
            {
                "template_slug": row["template_slug"],
                "served": 0,
                "correct": 0,
                "timeouts": 0,
                "questions": 0,
                "flagged": 0,
                "ms": 0.0,
                "answered": 0,
            },
        )
        t["served"] += row["served"]
        t["correct"] += row["correct"]
        t["timeouts"] += row["timeouts"]
        t["questions"] += 1
        t["flagged"] += bool(row["flags"])
        answered = row["served"] - row["timeouts"]
        if row["mean_ms"] is not None:
            t["ms"] += row["mean_ms"] * answered
            t["answered"] += answered
    for t in out.values():
        t["facility"] = t["correct"] / t["served"] if t["served"] else None
        t["mean_seconds"] = round(t["ms"] / t["answered"] / 1000, 1) if t["answered"] else None
    return sorted(out.values(), key=lambda t: t["template_slug"])


@_staff_only
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    rows = item_statistics()
    admin_ids = dict(QuestionTemplate.objects.values_list("slug", "pk"))
    for row in rows:
        row["template_pk"] = admin_ids.get(row["template_slug"])
    flag = request.GET.get("flag", "")
    shown = [r for r in rows if flag in r["flags"]] if flag else rows
    shown.sort(key=lambda r: (not r["flags"], r["question_key"]))
    page = Paginator(shown, 50).get_page(int_param(request.GET, "page", 1))
    templates = _by_template(rows)
    for t in templates:
        t["template_pk"] = admin_ids.get(t["template_slug"])
    return render(
        request,
        "quiz/analytics_items.html",
        {
            "page": page,
            "flag": flag,
            "templates": templates,
            "flag_counts": sorted(Counter(f for r in rows for f in r["flags"]).items()),
            "total": len(rows),
            "thresholds": {"min_served": MIN_SERVED, "easy": TOO_EASY, "hard": TOO_HARD},
        },
    )


@_staff_only
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    bank = load_bank_from_db()
    questions = [q for q in generate_all(bank) if isinstance(q, Question)]
    used = {slug for q in questions for slug in q.facts}
    per_topic_q = Counter(q.topic for q in questions)
    per_topic_f = Counter(f.topic for f in bank.facts.values())
    topics = [
        {
            "name": t.name,
            "facts": per_topic_f.get(t.slug, 0),
            "questions": per_topic_q.get(t.slug, 0),
        }
        for t in Topic.objects.all()
    ]
    unused = sorted(slug for slug in bank.facts if slug not in used)
    fact_ids = dict(Fact.objects.filter(slug__in=unused).values_list("slug", "pk"))
    return render(
        request,
        "quiz/analytics_coverage.html",
        {
            "topics": topics,
            "unused": [{"slug": s, "pk": fact_ids.get(s)} for s in unused],
            "question_count": len(questions),
            "fact_count": len(bank.facts),
        },
    )
