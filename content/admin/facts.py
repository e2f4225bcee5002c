"""Facts: a form generated from the fact's kind, claim-level citations, and the preview."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Count, TextField
from django.db.models.functions import Cast
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from content import schema
from content.admin.base import BankProblemsMixin, HistoryAdmin, PreviewMixin, numeric_pk
from content.models import (
    Citation,
    Fact,
    FactKind,
)
from content.preview import preview_fact
from content.servable import (
    bank_from_db,
    fact_data,
    fact_problem,
    kind_problem,
)


def value_field(spec: schema.FieldSpec) -> forms.Field:
    """The form field that edits one schema field (type-checked in the browser and server)."""
    common = {"label": spec.label, "required": spec.required}
    if spec.type == "year":
        return forms.IntegerField(min_value=1900, max_value=2100, **common)
    if spec.type == "number":
        return forms.IntegerField(**common)
    if spec.type in ("amount", "percent"):
        help_text = f"Shown as {spec.format.format('…')}" if spec.format else ""
        if spec.type == "percent":
            help_text = "Per cent, e.g. 7.65"
        return forms.DecimalField(max_digits=16, decimal_places=4, help_text=help_text, **common)
    if spec.type == "date":
        return forms.DateField(widget=AdminDateWidget, **common)
    if spec.type == "month":
        return forms.CharField(
            max_length=7,
            validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "Enter a month as YYYY-MM.")],
            help_text="YYYY-MM, e.g. 2019-12",
            widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "size": 8}),
            **common,
        )
    return forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 80}), **common)


class FactForm(forms.ModelForm):
    """A fact's values edited through fields generated from its kind's schema."""

    specs: tuple[schema.FieldSpec, ...] = ()

    class Meta:
        model = Fact
        fields = [
            "slug",
            "kind",
            "topic",
            "status",
            "as_of",
            "as_of_label",
            "excludes",
            "context",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        values = self.instance.values or {}
        aliases = self.instance.aliases or {}
        not_wrong = self.instance.not_wrong or {}
        for spec in self.specs:
            if f"notwrong__{spec.name}" in self.fields:
                self.fields[f"notwrong__{spec.name}"].initial = "\n".join(
                    str(v) for v in not_wrong.get(spec.name, [])
                )
            self.fields[f"value__{spec.name}"].initial = values.get(spec.name)
            if f"alias__{spec.name}" in self.fields:
                self.fields[f"alias__{spec.name}"].initial = "\n".join(
                    str(a) for a in aliases.get(spec.name, [])
                )

    def _parse_lines(self, cleaned: dict, prefix: str, spec, into: dict) -> None:
        """A one-value-per-line box (aliases, never-wrong values) into ``into[spec.name]``,
        each line parsed as the field's type; a bad line is that box's form error."""
        name = f"{prefix}__{spec.name}"
        lines = [line.strip() for line in (cleaned.get(name) or "").splitlines() if line.strip()]
        if not lines:
            return
        try:
            into[spec.name] = [spec.parse(line) for line in lines]
        except schema.SchemaError as exc:
            self.add_error(name, str(exc))

    def clean(self):
        cleaned = super().clean()
        if not self.specs:
            raise ValidationError("Choose the kind of fact first.")
        values, aliases, not_wrong = {}, {}, {}
        for spec in self.specs:
            self._parse_lines(cleaned, "notwrong", spec, not_wrong)
            raw = cleaned.get(f"value__{spec.name}")
            if raw not in (None, ""):
                try:
                    values[spec.name] = spec.parse(raw)
                except schema.SchemaError as exc:
                    self.add_error(f"value__{spec.name}", str(exc))
            self._parse_lines(cleaned, "alias", spec, aliases)
        self.instance.values = values
        self.instance.aliases = aliases
        self.instance.not_wrong = not_wrong
        return cleaned


def fact_form_for(kind: FactKind | None) -> type[FactForm]:
    if kind is None:
        return FactForm
    specs = kind.field_specs()
    attrs: dict = {"specs": specs}
    for spec in specs:
        attrs[f"value__{spec.name}"] = value_field(spec)
        if spec.type in schema.TEXT_TYPES:
            attrs[f"alias__{spec.name}"] = forms.CharField(
                label=f"{spec.label}: also true",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
                help_text="Other spellings or expansions that are equally correct, one per line. "
                "They are never offered as wrong options.",
            )
        attrs[f"notwrong__{spec.name}"] = forms.CharField(
            label=f"{spec.label}: never offer as wrong",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
            help_text="Values that are not the answer but must never be offered as a wrong "
            "option, one per line: another published figure for the same quantity, a date "
            "some reports give.",
        )
    return type(f"FactForm_{kind.slug.replace('-', '_')}", (FactForm,), attrs)


class CitationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        live = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if self.instance.status == Fact.Status.PUBLISHED and not live:
            raise ValidationError("A published fact must cite at least one source.")


class FieldListField(forms.CharField):
    """A list of field names typed as "year_signed, name" (stored as a JSON list)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def has_changed(self, initial, data) -> bool:
        return self.to_python(initial or []) != self.to_python(data)

    def to_python(self, value):
        if isinstance(value, list | tuple):  # the initial value, when comparing for changes
            return list(value)
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class CitationForm(forms.ModelForm):
    fields = FieldListField(
        required=False,
        label="Supports",
        help_text="The fields this source supports, comma-separated; empty: all of them.",
    )

    class Meta:
        model = Citation
        fields = ["source", "locator", "fields"]


class CitationInline(admin.TabularInline):
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]


@admin.register(Fact)
class FactAdmin(PreviewMixin, BankProblemsMixin, HistoryAdmin):
    problem_models = ("kind", "fact")
    list_display = ["__str__", "kind", "topic", "status", "citation_count", "updated_at"]
    list_filter = ["status", "kind", "topic", "citations__source"]
    search_fields = ["slug", "notes"]
    list_select_related = ["kind", "topic"]
    autocomplete_fields = ["excludes"]
    inlines = [CitationInline]
    change_form_template = "admin/content/fact/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_citations=Count("citations", distinct=True))

    def get_search_results(self, request, queryset, search_term):
        # Values live in JSON; search their text too so editors find "LEMOA" or "2016".
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            by_values = self.model.objects.annotate(_text=Cast("values", TextField())).filter(
                _text__icontains=search_term
            )
            queryset |= self.get_queryset(request).filter(pk__in=by_values.values("pk"))
        return queryset, may_have_duplicates

    @admin.display(description="Citations", ordering="_citations")
    def citation_count(self, obj: Fact) -> int:
        return obj._citations

    def _kind_for(self, request: HttpRequest, obj: Fact | None) -> FactKind | None:
        if obj is not None:
            return obj.kind
        pk = request.POST.get("kind") or request.GET.get("kind")
        # isdigit() alone lets "²" through to int() (a 500); only ASCII digits are an id.
        if pk and str(pk).isascii() and str(pk).isdigit() and len(str(pk)) < 10:
            return FactKind.objects.filter(pk=pk).first()
        return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = fact_form_for(self._kind_for(request, obj))
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Changing the kind would orphan every value; make a new fact instead.
        return ["kind"] if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        kind = self._kind_for(request, obj)
        fieldsets = [(None, {"fields": ["slug", "kind", "topic", "status"]})]
        if kind is not None:
            specs = kind.field_specs()
            fieldsets.append(
                (f"{kind.name} fields", {"fields": [f"value__{s.name}" for s in specs]})
            )
            alias_fields = [f"alias__{s.name}" for s in specs if s.type in schema.TEXT_TYPES]
            if alias_fields:
                fieldsets.append(
                    ("Also true (aliases)", {"fields": alias_fields, "classes": ["collapse"]})
                )
            fieldsets.append(
                (
                    "Never offered as wrong (not_wrong)",
                    {"fields": [f"notwrong__{s.name}" for s in specs], "classes": ["collapse"]},
                )
            )
        fieldsets.append(
            (
                "Dating, overlaps and notes",
                {"fields": ["as_of", "as_of_label", "excludes", "context", "notes"]},
            )
        )
        return fieldsets

    def _refuse_broken_kind(self, request: HttpRequest, kind: FactKind | None):
        """A fact's form is generated from its kind's schema: with an invalid schema there
        is no form to show, so send the editor to fix the kind (instead of a 500)."""
        reason = kind_problem(kind) if kind is not None else None
        if reason is None:
            return None
        self.message_user(
            request,
            f"Facts of the kind “{kind.name}” cannot be edited until the kind is fixed: {reason}",
            messages.ERROR,
        )
        return redirect("admin:content_factkind_change", kind.pk)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        fact = self.get_object(request, str(numeric_pk(object_id)))
        refused = self._refuse_broken_kind(request, fact.kind if fact is not None else None)
        if refused:
            return refused
        return super().history_form_view(request, object_id, version_id, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        refused = self._refuse_broken_kind(request, self._kind_for(request, None))
        if refused:
            return refused
        if request.method == "GET" and not request.GET.get("kind"):
            return TemplateResponse(
                request,
                "admin/content/fact/choose_kind.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "kinds": FactKind.objects.order_by("name"),
                    "title": "Add fact: choose its kind",
                },
            )
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        fact = self.get_object(request, object_id)
        if fact is not None:
            refused = self._refuse_broken_kind(request, fact.kind)
            if refused:
                return refused
            extra_context.update(self.preview_context(fact))
        return super().change_view(request, object_id, form_url, extra_context)

    def preview_problem(self, saved: Fact) -> str | None:
        return fact_problem(saved, saved.kind.field_specs())

    def preview_refusal(self, obj: Fact) -> str | None:
        reason = kind_problem(obj.kind)
        return f"The kind “{obj.kind.name}” is invalid: {reason}" if reason else None

    def saved_for_preview(self, obj: Fact) -> Fact:
        return Fact.objects.prefetch_related("citations__source", "excludes").get(pk=obj.pk)

    def build_preview(self, draft: Fact, saved: Fact) -> dict:
        return _fact_preview(draft, saved)


def _fact_preview(fact: Fact, saved: Fact | None = None) -> dict:
    saved = saved or fact
    data = fact_data(saved)
    data = type(data)(
        slug=fact.slug,
        kind=fact.kind.slug,
        topic=fact.topic.slug,
        values=dict(fact.values),
        aliases={k: tuple(v) for k, v in (fact.aliases or {}).items()},
        not_wrong={k: tuple(v) for k, v in (fact.not_wrong or {}).items()},
        excludes=data.excludes,
        as_of_label=fact.as_of_label if fact.as_of else "",
        sources=data.sources or ("(no citation yet — add one before publishing)",),
    )
    bank = bank_from_db(extra_facts=[data])
    result = preview_fact(bank, data)
    result["served"] = Fact.objects.servable().filter(pk=saved.pk).exists() and (
        fact.status == Fact.Status.PUBLISHED
    )
    return result
