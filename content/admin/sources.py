"""Sources, topics and the conflict register."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from content.admin.base import HistoryAdmin
from content.models import (
    Conflict,
    ConflictClaim,
    Source,
    Topic,
)


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
