"""The documents facts cite, and the topics facts belong to."""

from __future__ import annotations

from django.db import models

from content.models.base import DataMapped, history_records, loaded_hash_field


class Source(DataMapped):
    class Kind(models.TextChoices):
        NEWS = "news", "News report"
        ANALYSIS = "analysis", "Analysis"
        EXAM_PREP = "exam_prep", "Exam-prep note"
        CURRENT_AFFAIRS = "current_affairs", "Current-affairs note"
        OFFICIAL = "official", "Official document"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    date_note = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    reference = models.CharField(
        max_length=300, blank=True, help_text="Where the document is kept (file or address)."
    )
    url = models.URLField(max_length=500, blank=True, help_text="The public address, if any.")

    loaded_hash = loaded_hash_field()
    history = history_records()

    DATA_FIELDS = {
        name: name
        for name in (
            "title",
            "publisher",
            "author",
            "published_on",
            "date_note",
            "kind",
            "reference",
            "url",
        )
    }

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def citation_label(self) -> str:
        by = ", ".join(part for part in (self.author, self.publisher) if part)
        when = self.published_on.strftime("%-d %b %Y") if self.published_on else "undated"
        return f"{self.title} ({by}, {when})" if by else f"{self.title} ({when})"


class Topic(DataMapped):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    loaded_hash = loaded_hash_field()
    history = history_records()

    # ``order`` is the topic's place in the file, not a value written in it.
    DATA_FIELDS = {"name": "name", "description": "description"}

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
