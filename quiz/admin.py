from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from content.generator import STYLES
from content.models import Fact, QuestionTemplate
from quiz.errors import PaperLocked
from quiz.models import Attempt, ErrorReport, Quiz
from quiz.starting import prepare_live_paper

STYLE_CHOICES = [
    ("mcq", "Direct multiple choice"),
    ("statements", "Which statements are correct"),
    ("how_many", "How many statements are correct"),
    ("pairs", "How many pairs are correctly matched"),
]
assert [s for s, _ in STYLE_CHOICES] == list(STYLES)


class QuizForm(forms.ModelForm):
    styles = forms.MultipleChoiceField(
        choices=STYLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to draw from every style.",
    )

    class Meta:
        model = Quiz
        fields = "__all__"


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizForm
    list_display = [
        "title",
        "kind",
        "timing",
        "mode",
        "question_count",
        "time_label",
        "published",
        "order",
    ]
    list_filter = ["published", "kind", "timing", "mode", "topics"]
    list_editable = ["published", "order"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "description", "published", "order"]}),
        ("Questions", {"fields": ["question_count", "topics", "styles"]}),
        (
            "Timing and feedback",
            {"fields": ["timing", "seconds_per_question", "paper_minutes", "mode"]},
        ),
        (
            "Marking (UPSC: +2, wrong loses 1/3 of the marks, unanswered 0)",
            {"fields": ["marks_correct", "penalty_numerator", "penalty_denominator"]},
        ),
        (
            "Live mock test (optional): one paper for everyone, rank list when it closes",
            {"fields": ["opens_at", "closes_at", "paper_status"]},
        ),
    ]
    readonly_fields = ["paper_status"]
    actions = ["prepare_paper"]

    @admin.display(description="Paper")
    def paper_status(self, obj: Quiz) -> str:
        if not obj.is_live_test:
            return "Not a live test: each attempt draws its own questions."
        if obj.live_paper:
            return f"{len(obj.live_paper)} questions frozen."
        return "Not generated yet: it is generated on save, or run prepare_live_papers."

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        form.save_m2m()
        moved = change and {"opens_at", "closes_at"} & set(form.changed_data)
        if moved and obj.is_live_test and (n := obj.reschedule_sittings()):
            self.message_user(request, f"{n} running sittings follow the new times.")
        if obj.is_live_test and not obj.live_paper:
            try:
                n = prepare_live_paper(obj)
                self.message_user(request, f"The live paper was generated: {n} questions.")
            except PaperLocked as exc:
                self.message_user(request, str(exc), level=messages.ERROR)

    @admin.action(description="Regenerate the live paper (before the test opens)")
    def prepare_paper(self, request, queryset):
        for quiz in queryset.filter(opens_at__isnull=False):
            try:
                n = prepare_live_paper(quiz)
                self.message_user(request, f"{quiz}: {n} questions frozen.")
            except PaperLocked as exc:
                self.message_user(request, f"{quiz}: {exc}", level=messages.ERROR)

    @admin.display(description="Time")
    def time_label(self, obj: Quiz) -> str:
        if obj.is_paper:
            return f"{obj.paper_minutes} min paper"
        return f"{obj.seconds_per_question} s per question"


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read-only: attempts are the students' record, never edited by hand."""

    list_display = [
        "title",
        "user",
        "status",
        "score",
        "correct_count",
        "wrong_count",
        "unanswered_count",
        "started_at",
    ]
    list_filter = ["status", "timing", "mode", "quiz"]
    search_fields = ["user__username", "title"]
    list_select_related = ["user", "quiz"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ErrorReportForm(forms.ModelForm):
    class Meta:
        model = ErrorReport
        fields = ["status", "reply"]

    def clean(self):
        data = super().clean()
        if data.get("status") != ErrorReport.Status.OPEN and not (data.get("reply") or "").strip():
            self.add_error(
                "reply", "Write the reply the student will see: what was changed, or why not."
            )
        return data


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    """The editors' queue of students' error reports: open ones first, oldest first. An
    editor reads the frozen question, follows the links to its fact and template, and
    resolves or rejects the report with a reply the student sees on their dashboard."""

    form = ErrorReportForm
    list_display = ["created_at", "question_key", "short_problem", "status", "user"]
    list_filter = ["status", "template_slug"]
    search_fields = ["question_key", "problem", "user__username"]
    list_select_related = ["user"]
    ordering = ["status", "created_at"]  # "open" sorts first
    readonly_fields = [
        "user",
        "created_at",
        "problem",
        "source",
        "frozen_question",
        "bank_links",
        "closed_at",
        "closed_by",
    ]
    fieldsets = [
        ("The report", {"fields": ["user", "created_at", "problem", "source"]}),
        ("The question as the student saw it", {"fields": ["frozen_question", "bank_links"]}),
        ("Decision", {"fields": ["status", "reply", "closed_at", "closed_by"]}),
    ]

    def has_add_permission(self, request):
        return False  # reports come from students

    def has_delete_permission(self, request, obj=None):
        return False  # the student's record of what they reported

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "user", "closed_by")

    @admin.display(description="What is wrong")
    def short_problem(self, obj: ErrorReport) -> str:
        return obj.problem if len(obj.problem) <= 80 else obj.problem[:79] + "…"

    @admin.display(description="Frozen question")
    def frozen_question(self, obj: ErrorReport) -> str:
        q = obj.question
        options = format_html_join(
            "",
            "<li>{}{}</li>",
            ((o["text"], " — the key" if o["token"] == q.correct_token else "") for o in q.options),
        )
        stem = format_html_join("", "<p>{}</p>", ((line,) for line in q.stem_lines))
        sources = format_html_join("", "<li>{}</li>", ((s,) for s in q.sources))
        return format_html(
            '{}<ol type="a">{}</ol><p><strong>Explanation:</strong> {}</p><ul>{}</ul>'
            "<p>Attempt {}, question {}</p>",
            stem,
            options,
            q.explanation,
            sources,
            q.attempt_id,
            q.position,
        )

    @admin.display(description="In the bank")
    def bank_links(self, obj: ErrorReport) -> str:
        facts = dict(Fact.objects.filter(slug__in=obj.fact_slugs).values_list("slug", "pk"))
        template = QuestionTemplate.objects.filter(slug=obj.template_slug).first()
        links = [
            (reverse("admin:content_fact_change", args=[facts[s]]), f"Fact {s}")
            for s in obj.fact_slugs
            if s in facts
        ]
        if template is not None:
            links.append(
                (
                    reverse("admin:content_questiontemplate_change", args=[template.pk]),
                    f"Template {template.slug}",
                )
            )
        if not links:
            return "Neither its facts nor its template are in the bank any more."
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def save_model(self, request, obj, form, change):
        if obj.is_open:
            obj.closed_at, obj.closed_by = None, None
        elif "status" in form.changed_data or obj.closed_at is None:
            obj.closed_at, obj.closed_by = timezone.now(), request.user
        obj.reply = obj.reply.strip()
        super().save_model(request, obj, form, change)
