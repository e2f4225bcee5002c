"""Item analysis and content coverage for editors (staff only). The statistics themselves
are in ``quiz.item_analysis``."""

from __future__ import annotations

from collections import Counter
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from content.generator import Question, generate_all
from content.models import Fact, QuestionTemplate, Topic
from content.servable import bank_from_db
from quiz import item_analysis
from quiz.params import int_param


def _staff_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Item analysis is for editors.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _with_admin_links(rows: list[dict], admin_ids: dict[str, int]) -> list[dict]:
    for row in rows:
        row["template_pk"] = admin_ids.get(row["template_slug"])
    return rows


@_staff_only
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    rows = item_analysis.item_statistics()
    admin_ids = dict(QuestionTemplate.objects.values_list("slug", "pk"))
    _with_admin_links(rows, admin_ids)
    flag = request.GET.get("flag", "")
    shown = [r for r in rows if flag in r["flags"]] if flag else rows
    shown.sort(key=lambda r: (not r["flags"], r["question_key"]))
    thresholds = {
        "min_served": item_analysis.MIN_SERVED,
        "easy": item_analysis.TOO_EASY,
        "hard": item_analysis.TOO_HARD,
    }
    return render(
        request,
        "quiz/analytics_items.html",
        {
            "page": Paginator(shown, 50).get_page(int_param(request.GET, "page", 1)),
            "flag": flag,
            "templates": _with_admin_links(item_analysis.by_template(rows), admin_ids),
            "flag_counts": sorted(Counter(f for r in rows for f in r["flags"]).items()),
            "total": len(rows),
            "thresholds": thresholds,
        },
    )


@_staff_only
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    bank = bank_from_db()
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
