from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from content.generator import STYLES
from quiz.errors import PaperLocked
from quiz.models import Attempt, Quiz
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
