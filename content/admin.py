from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Count, TextField, URLField
from django.db.models.functions import Cast
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from content import schema
from content.models import (
    Citation,
    Conflict,
    ConflictClaim,
    Fact,
    FactKind,
    QuestionTemplate,
    Source,
    Topic,
)
from content.preview import preview_fact, preview_template
from content.servable import (
    bank_from_db,
    fact_data,
    fact_problem,
    kind_problem,
    problems_in_db,
    template_data,
    template_problem,
)


def _numeric_pk(object_id: str) -> int:
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
        _numeric_pk(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _numeric_pk(object_id)
        _numeric_pk(version_id)
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


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "publisher", "author", "published_on", "kind", "fact_count"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "author", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(_facts=Count("citations__fact", distinct=True))
        )

    @admin.display(description="Facts citing it", ordering="_facts")
    def fact_count(self, obj: Source) -> int:
        return obj._facts


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "slug", "order", "fact_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_facts=Count("facts"))

    @admin.display(description="Facts", ordering="_facts")
    def fact_count(self, obj: Topic) -> int:
        return obj._facts


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


# -- facts ------------------------------------------------------------------------------------


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
class FactAdmin(BankProblemsMixin, HistoryAdmin):
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
        fact = self.get_object(request, str(_numeric_pk(object_id)))
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
            fact = Fact.objects.prefetch_related("citations__source", "excludes").get(pk=fact.pk)
            problem = fact_problem(fact, fact.kind.field_specs())
            if problem:
                extra_context["preview_problem"] = problem
            else:
                extra_context["preview"] = _fact_preview(fact)
            # Absolute: a relative "preview/" resolves under ".../change/" in the browser.
            extra_context["preview_url"] = reverse("admin:content_fact_preview", args=[fact.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="content_fact_preview",
            ),
        ] + super().get_urls()

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Preview the unsaved state of the change form (htmx POST of the whole form)."""
        fact = get_object_or_404(Fact, pk=_numeric_pk(object_id))
        if not self.has_change_permission(request, fact):
            return HttpResponse(status=403)
        if request.method != "POST":
            return HttpResponse("Use POST with the form's data.", status=405)
        reason = kind_problem(fact.kind)
        if reason:
            errors = [("__all__", [f"The kind “{fact.kind.name}” is invalid: {reason}"])]
            return render(request, "admin/content/_preview.html", {"form_errors": errors})
        saved = Fact.objects.prefetch_related("citations__source", "excludes").get(pk=fact.pk)
        form = self.get_form(request, fact, change=True)(request.POST, instance=fact)
        if not form.is_valid():
            return render(
                request, "admin/content/_preview.html", {"form_errors": list(form.errors.items())}
            )
        draft = form.save(commit=False)
        draft.pk = saved.pk
        return render(
            request,
            "admin/content/_preview.html",
            {"preview": _fact_preview(draft, saved), "unsaved": True},
        )


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


# -- templates --------------------------------------------------------------------------------


@admin.register(QuestionTemplate)
class QuestionTemplateAdmin(BankProblemsMixin, HistoryAdmin):
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
            problem = template_problem(template)
            if problem:
                extra_context["preview_problem"] = problem
            else:
                bank = bank_from_db(extra_templates=[template_data(template)])
                extra_context["preview"] = preview_template(bank, template_data(template))
            # Absolute: a relative "preview/" resolves under ".../change/" in the browser.
            extra_context["preview_url"] = reverse(
                "admin:content_questiontemplate_preview", args=[template.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="content_questiontemplate_preview",
            ),
        ] + super().get_urls()

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Preview the unsaved state of the change form (htmx POST of the whole form)."""
        template = get_object_or_404(QuestionTemplate, pk=_numeric_pk(object_id))
        if not self.has_change_permission(request, template):
            return HttpResponse(status=403)
        if request.method != "POST":
            return HttpResponse("Use POST with the form's data.", status=405)
        form = self.get_form(request, template, change=True)(request.POST, instance=template)
        if not form.is_valid():
            return render(
                request, "admin/content/_preview.html", {"form_errors": list(form.errors.items())}
            )
        draft = template_data(form.save(commit=False))
        bank = bank_from_db(extra_templates=[draft])
        return render(
            request,
            "admin/content/_preview.html",
            {"preview": preview_template(bank, draft), "unsaved": True},
        )


# -- conflicts --------------------------------------------------------------------------------


class ConflictClaimInline(admin.StackedInline):
    model = ConflictClaim
    extra = 1
    autocomplete_fields = ["source"]


@admin.register(Conflict)
class ConflictAdmin(HistoryAdmin):
    list_display = ["title", "status", "fact_list"]
    list_filter = ["status", "claims__source"]
    search_fields = ["title", "slug", "accepted", "reason", "claims__claim"]
    autocomplete_fields = ["facts"]
    inlines = [ConflictClaimInline]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("facts")

    @admin.display(description="Facts")
    def fact_list(self, obj: Conflict) -> str:
        return ", ".join(f.slug for f in obj.facts.all())
