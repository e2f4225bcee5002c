"""The conflict register: where sources disagree, what each claims, which claim we accept."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from content.models.base import DataMapped, history_records, loaded_hash_field
from content.models.sources import Source


class Conflict(DataMapped):
    class Status(models.TextChoices):
        OPEN = "open", "Open (facts are not served)"
        RESOLVED = "resolved", "Resolved"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    facts = models.ManyToManyField("content.Fact", blank=True, related_name="conflicts")
    accepted = models.TextField(blank=True, help_text="The claim we accept.")
    reason = models.TextField(blank=True, help_text="Why we accept it.")

    loaded_hash = loaded_hash_field()
    history = history_records()

    # Facts and claims are related rows (see ``to_data``).
    DATA_FIELDS = {n: n for n in ("title", "status", "accepted", "reason")}

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(accepted=""),
                name="content_conflict_resolved_has_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def to_data(self) -> dict:
        """Needs ``facts`` and ``claims__source`` loaded (or costs queries)."""
        data = self.data_fields()
        return {
            "slug": self.slug,
            "title": data.pop("title"),
            "status": data.pop("status"),
            "facts": sorted(f.slug for f in self.facts.all()),
            "claims": [c.to_data() for c in self.claims.all()],
            **data,
        }

    def clean(self) -> None:
        if self.status == self.Status.RESOLVED and not self.accepted.strip():
            raise ValidationError(
                {"accepted": "A resolved conflict must say which claim we accept."}
            )


class ConflictClaim(models.Model):
    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="claims")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    locator = models.CharField(max_length=200, blank=True)
    claim = models.TextField()
    # What the claim says about one field, when it gives a value other than the accepted one
    # (e.g. year = 2019): explanations keyed on that field say "some reports give 2019".
    field = models.CharField(
        max_length=80, blank=True, help_text="The fact field this claim gives a value for."
    )
    value = models.CharField(
        max_length=200,
        blank=True,
        help_text="The value it gives, if it differs from the accepted one (e.g. 2019).",
    )

    class Meta:
        ordering = ["conflict", "id"]

    def __str__(self) -> str:
        return f"{self.source.slug}: {self.claim[:60]}"

    def to_data(self) -> dict:
        return {
            "source": self.source.slug,
            "locator": self.locator,
            "claim": self.claim,
            "field": self.field,
            "value": self.value,
        }

    def clean(self) -> None:
        if bool(self.field) != bool(self.value):
            raise ValidationError("Give both the field and the value the claim gives, or neither.")
