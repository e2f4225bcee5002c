"""The editors' bank report page (``/admin/content/questiontemplate/report/``): the logic of
``manage.py bank_report`` (``content.generator.report``) as an admin page, linked from the
template changelist."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from content.generator import report, solver
from content.models import QuestionTemplate
from content.servable import bank_from_db

# A seed costs one generation of the whole bank; three is what the solver test runs.
MAX_SEEDS = 3
_CLASS_ORDER = (
    report.REWORD,
    report.ADD_FACTS,
    report.ADD_VALUE,
    report.AMBIGUOUS,
    report.OTHER,
)


def parse_seeds(text: str) -> list[int]:
    """One to ``MAX_SEEDS`` whole numbers separated by commas; ValueError otherwise."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not 1 <= len(parts) <= MAX_SEEDS:
        raise ValueError
    if not all(p.isascii() and p.isdigit() and len(p) <= 9 for p in parts):
        raise ValueError
    return list(dict.fromkeys(int(p) for p in parts))


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _report_context(seeds: list[int]) -> dict:
    """The report over ``seeds``, with each template linked to its change page."""
    built = report.build_report(bank_from_db(), seeds, solver.pick)
    urls = {
        slug: reverse("admin:content_questiontemplate_change", args=[pk])
        for slug, pk in QuestionTemplate.objects.order_by().values_list("slug", "pk")
    }
    counts = built.class_counts()
    return {
        "report": built,
        "total_score": _percent(built.score),
        "class_counts": [(name, counts[name]) for name in _CLASS_ORDER if name in counts],
        "rows": [
            {
                "template": template,
                "url": urls.get(template.slug),
                "scores": [_percent(s) for s in template.scores],
            }
            for template in built.templates
        ],
    }


def bank_report_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """The form, and the report once seeds are given (built on demand, never cached: it
    generates the whole bank once per seed). Anyone who may view templates may see it."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": QuestionTemplate._meta,
        "title": "Bank report",
        "max_seeds": MAX_SEEDS,
        "seeds_text": request.GET.get("seeds", "0, 1, 2"),
    }
    status = 200
    if "seeds" in request.GET:
        try:
            seeds = parse_seeds(request.GET["seeds"])
        except ValueError:
            context["error"] = (
                f"Give one to {MAX_SEEDS} seeds as whole numbers separated by commas, e.g. 0, 1, 2."
            )
            status = 400
        else:
            context |= _report_context(seeds)
    return TemplateResponse(
        request, "admin/content/questiontemplate/report.html", context, status=status
    )
