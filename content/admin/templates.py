"""Fact kinds and question templates (with the template preview and the bank report)."""

from __future__ import annotations

from functools import partial

from django.contrib import admin
from django.db.models import Count
from django.urls import path
from django.views.decorators.http import require_GET

from content import schema
from content.admin.base import BankProblemsMixin, HistoryAdmin, PreviewMixin
from content.admin.report import bank_report_view
from content.models import (
    FactKind,
    QuestionTemplate,
)
from content.preview import preview_template
from content.servable import (
    bank_from_db,
    template_data,
    template_problem,
)


@admin.register(FactKind)
class FactKindAdmin(BankProblemsMixin, HistoryAdmin):
    problem_models = ("kind",)
    list_display = ["name", "slug", "field_names", "fact_count", "template_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _facts=Count("facts", distinct=True), _templates=Count("templates", distinct=True)
            )
        )

    @admin.display(description="Fields")
    def field_names(self, obj: FactKind) -> str:
        try:
            return ", ".join(f"{s.name} ({s.type})" for s in obj.field_specs())
        except schema.SchemaError as exc:
            return f"invalid schema: {exc}"

    @admin.display(description="Facts", ordering="_facts")
    def fact_count(self, obj: FactKind) -> int:
        return obj._facts

    @admin.display(description="Templates", ordering="_templates")
    def template_count(self, obj: FactKind) -> int:
        return obj._templates


@admin.register(QuestionTemplate)
class QuestionTemplateAdmin(PreviewMixin, BankProblemsMixin, HistoryAdmin):
    problem_models = ("kind", "template")
    list_display = ["slug", "kind", "style", "answer_field", "difficulty", "distractors", "active"]
    list_filter = ["kind", "style", "difficulty", "distractors", "active"]
    search_fields = ["slug", "stem", "statement", "explanation"]
    list_select_related = ["kind"]
    prepopulated_fields = {"slug": ["stem"]}
    change_form_template = "admin/content/questiontemplate/change_form.html"
    fieldsets = [
        (None, {"fields": ["slug", "kind", "style", "active", "difficulty"]}),
        (
            "Question",
            {"fields": ["stem", "answer_field", "distractors", "match_field", "explanation"]},
        ),
        (
            "Statements, how-many and pairs",
            {"fields": ["items", "statement", "pair_left_field"]},
        ),
    ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        template = self.get_object(request, object_id)
        if template is not None:
            extra_context.update(self.preview_context(template))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        report = self.admin_site.admin_view(require_GET(partial(bank_report_view, self)))
        return [
            path("report/", report, name="content_questiontemplate_report"),
        ] + super().get_urls()

    def preview_problem(self, saved: QuestionTemplate) -> str | None:
        return template_problem(saved)

    def build_preview(self, draft: QuestionTemplate, saved: QuestionTemplate) -> dict:
        data = template_data(draft)
        return preview_template(bank_from_db(extra_templates=[data]), data)
