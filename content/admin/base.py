"""What the content admins share: history on every change, the rows the bank leaves out above
the changelists, and the live preview of facts and templates."""

from __future__ import annotations

from django.db.models import URLField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from content.servable import (
    problems_in_db,
)


def numeric_pk(object_id: str) -> int:
    """The primary key in a preview URL: ASCII digits only, else 404 (never a 500 from a
    lookup by "1/change" or "²")."""
    if not (object_id.isascii() and object_id.isdigit()):
        raise Http404("No such object.")
    return int(object_id)


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change is kept with who made it and when (django-simple-history), and any
    version can be reverted from the object's History page."""

    # A source's address typed without a scheme is https (Django 6's default, today).
    formfield_overrides = {URLField: {"assume_scheme": "https"}}

    def history_view(self, request, object_id, extra_context=None):
        numeric_pk(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        numeric_pk(object_id)
        numeric_pk(version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class BankProblemsMixin:
    """Lists, above the changelist, the rows the bank loader leaves out (see content.servable)."""

    problem_models: tuple[str, ...] = ()

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["bank_problems"] = [
            p for p in problems_in_db() if p.model in self.problem_models
        ]
        return super().changelist_view(request, extra_context)


class PreviewMixin:
    """The live preview on a change form, shared by facts and templates: what the saved
    object generates now (above the form), and what the form's unsaved state would generate
    (``preview_view``, an htmx POST of the whole form to ``<pk>/preview/``).

    A subclass says how to preview its object: ``preview_problem`` (why the saved row cannot
    be previewed), ``preview_refusal`` (why no form can be previewed), ``saved_for_preview``
    (the row with what the preview reads loaded) and ``build_preview``."""

    def preview_problem(self, saved) -> str | None:
        raise NotImplementedError

    def preview_refusal(self, obj) -> str | None:
        return None

    def saved_for_preview(self, obj):
        return obj

    def build_preview(self, draft, saved) -> dict:
        raise NotImplementedError

    def _preview_url_name(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_preview"

    def preview_context(self, obj) -> dict:
        """The change form's preview of the saved ``obj``, and where the form posts to."""
        saved = self.saved_for_preview(obj)
        problem = self.preview_problem(saved)
        context = {"preview_problem": problem} if problem else {}
        if not problem:
            context["preview"] = self.build_preview(saved, saved)
        # Absolute: a relative "preview/" resolves under ".../change/" in the browser.
        context["preview_url"] = reverse(f"admin:{self._preview_url_name()}", args=[saved.pk])
        return context

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=self._preview_url_name(),
            ),
        ] + super().get_urls()

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Preview the unsaved state of the change form (htmx POST of the whole form)."""
        obj = get_object_or_404(self.model, pk=numeric_pk(object_id))
        if not self.has_change_permission(request, obj):
            return HttpResponse(status=403)
        if request.method != "POST":
            return HttpResponse("Use POST with the form's data.", status=405)
        refusal = self.preview_refusal(obj)
        if refusal:
            return render(
                request, "admin/content/_preview.html", {"form_errors": [("__all__", [refusal])]}
            )
        saved = self.saved_for_preview(obj)
        form = self.get_form(request, obj, change=True)(request.POST, instance=obj)
        if not form.is_valid():
            return render(
                request, "admin/content/_preview.html", {"form_errors": list(form.errors.items())}
            )
        draft = form.save(commit=False)
        draft.pk = saved.pk
        return render(
            request,
            "admin/content/_preview.html",
            {"preview": self.build_preview(draft, saved), "unsaved": True},
        )
