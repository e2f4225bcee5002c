"""Fact kinds (schemas), facts (typed values validated against their kind) and claim-level
citations."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.urls import reverse

from content import schema
from content.models.base import DataMapped, history_records, loaded_hash_field
from content.models.conflicts import Conflict
from content.models.sources import Source, Topic


class FactKind(DataMapped):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    label = models.CharField(
        max_length=200, help_text="How a fact of this kind is named, e.g. '{name}'."
    )
    fields = models.JSONField(
        default=list,
        help_text="List of fields: name, label, type, required, domain, format.",
    )
    decoys = models.JSONField(
        default=dict, blank=True, help_text="Curated wrong values per field: {field: [values]}."
    )

    loaded_hash = loaded_hash_field()
    history = history_records()

    DATA_FIELDS = {n: n for n in ("name", "description", "label", "fields", "decoys")}

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def field_specs(self) -> tuple[schema.FieldSpec, ...]:
        return schema.parse_fields(self.fields, self.slug)

    def in_field_order(self, mapping: dict) -> dict:
        """``mapping`` (field name -> anything) in the schema's field order (PostgreSQL's
        jsonb keeps no key order; the schema's is stable)."""
        order = [spec.name for spec in self.field_specs()]
        return {name: mapping[name] for name in order if name in mapping}

    def to_data(self) -> dict:
        data = super().to_data()
        data["fields"] = [spec.to_dict(self.slug) for spec in self.field_specs()]
        # Each decoy entry as value first, then its class attributes in field order.
        order = ["value", *(spec.name for spec in self.field_specs())]
        data["decoys"] = {
            field: [
                {k: item[k] for k in order if k in item} if isinstance(item, dict) else item
                for item in items
            ]
            for field, items in self.in_field_order(self.decoys).items()
        }
        return data

    def clean(self) -> None:
        try:
            specs = self.field_specs()
        except schema.SchemaError as exc:
            raise ValidationError({"fields": str(exc)}) from None
        names = {s.name for s in specs}
        unknown = [p for p in schema.placeholders(self.label) if p not in names]
        if unknown:
            raise ValidationError({"label": f"Unknown field(s) in label: {', '.join(unknown)}"})
        if not isinstance(self.decoys, dict):
            raise ValidationError({"decoys": "Decoys must be a mapping of field to a list."})
        for field, items in self.decoys.items():
            if field not in names:
                raise ValidationError({"decoys": f"Decoys for unknown field '{field}'."})
            spec = next(s for s in specs if s.name == field)
            try:
                [schema.check_decoy(spec, item, names) for item in items]
            except (schema.SchemaError, TypeError) as exc:
                raise ValidationError({"decoys": f"Decoy for '{field}': {exc}"}) from None

    def fact_label(self, values: dict) -> str:
        specs = {s.name: s for s in self.field_specs()}

        def sub(match):
            name = match.group(1)
            if name in values and name in specs:
                return specs[name].display(values[name])
            return "?"

        return schema.PLACEHOLDER_RE.sub(sub, self.label)


class FactQuerySet(models.QuerySet):
    def servable(self) -> FactQuerySet:
        """Facts a student may be asked about: published and under no open conflict."""
        return self.filter(status=Fact.Status.PUBLISHED).exclude(
            conflicts__status=Conflict.Status.OPEN
        )


class Fact(DataMapped):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        DISPUTED = "disputed", "Disputed"

    slug = models.SlugField(max_length=120, unique=True)
    kind = models.ForeignKey(FactKind, on_delete=models.PROTECT, related_name="facts")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="facts")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    values = models.JSONField(default=dict)
    aliases = models.JSONField(
        default=dict, blank=True, help_text="Other spellings that are also true, per field."
    )
    excludes = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        help_text="Facts whose values must never be offered as wrong options for this one "
        "(their descriptions overlap).",
    )
    not_wrong = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per field, values that are not the answer but must never be offered as "
        "wrong (another published figure, a date some reports give).",
    )
    as_of = models.DateField(
        null=True, blank=True, help_text="Date the stated position was current, if it can change."
    )
    as_of_label = models.CharField(
        max_length=200, blank=True, help_text="E.g. 'the November 2023 dialogue'."
    )
    context = models.TextField(
        blank=True,
        help_text="Two or three sentences in our own words that teach the fact in its context "
        "(which dialogue, what it does, why it matters); explanations show them.",
    )
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FactQuerySet.as_manager()

    loaded_hash = loaded_hash_field()
    history = history_records()

    # Kind, topic, excludes and citations are related rows (see ``to_data``).
    DATA_FIELDS = {
        n: n
        for n in (
            "status",
            "values",
            "aliases",
            "not_wrong",
            "as_of",
            "as_of_label",
            "context",
            "notes",
        )
    }

    class Meta:
        ordering = ["slug"]
        constraints = [
            # A dated position must say what it is dated to, or the question cannot say "as of".
            models.CheckConstraint(
                condition=models.Q(as_of__isnull=True) | ~models.Q(as_of_label=""),
                name="content_fact_as_of_has_label",
            ),
        ]
        indexes = [
            # Bank.from_db and the admin list filter facts by status within a kind.
            models.Index(fields=["kind", "status"], name="content_fact_kind_status"),
        ]

    def __str__(self) -> str:
        try:
            return f"{self.kind.fact_label(self.values)} [{self.slug}]"
        except (ValueError, TypeError, FactKind.DoesNotExist, AttributeError, KeyError):
            # A malformed stored value must not take the whole changelist down.
            return self.slug

    def get_absolute_url(self) -> str:
        return reverse("admin:content_fact_change", args=[self.pk])

    def to_data(self) -> dict:
        """The fact as its kind's file holds it. Needs ``kind``, ``topic``, ``excludes`` and
        ``citations__source`` loaded (or costs queries)."""
        data = self.data_fields()
        for name in ("values", "aliases", "not_wrong"):
            data[name] = self.kind.in_field_order(data[name])
        citations = sorted(self.citations.all(), key=lambda c: (c.source.slug, c.locator))
        return {
            "slug": self.slug,
            "kind": self.kind.slug,
            "topic": self.topic.slug,
            "status": data.pop("status"),
            "values": data.pop("values"),
            "aliases": data.pop("aliases"),
            "not_wrong": data.pop("not_wrong"),
            "excludes": sorted(o.slug for o in self.excludes.all()),
            "as_of": data.pop("as_of"),
            "as_of_label": data.pop("as_of_label"),
            "citations": [c.to_data() for c in citations],
            **data,
        }

    def clean(self) -> None:
        if not self.kind_id:
            return
        specs = self.kind.field_specs()
        # Values and aliases are edited through generated fields, not model fields, so
        # their problems are reported as form-wide errors.
        problems = []
        try:
            self.values = schema.validate_values(specs, self.values)
        except schema.SchemaError as exc:
            problems.append(_describe(exc))
        try:
            self.aliases = schema.validate_aliases(specs, self.aliases)
        except schema.SchemaError as exc:
            problems.append(_describe(exc))
        try:
            self.not_wrong = schema.validate_not_wrong(specs, self.not_wrong)
        except schema.SchemaError as exc:
            problems.append(_describe(exc))
        errors: dict = {}
        if problems:
            errors[NON_FIELD_ERRORS] = problems
        if self.as_of and not self.as_of_label.strip():
            errors["as_of_label"] = (
                "Say what the date refers to, e.g. 'the November 2023 dialogue'."
            )
        if errors:
            raise ValidationError(errors)


def _describe(exc: schema.SchemaError) -> str:
    detail = exc.args[0]
    if isinstance(detail, dict):
        return "; ".join(f"{msg}" for msg in detail.values())
    return str(detail)


class Citation(models.Model):
    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(
        max_length=200, help_text="Section or paragraph heading where the claim stands."
    )
    # The fact's fields whose values this source supports (claim-level citation); empty
    # means every field.
    fields = models.JSONField(
        default=list,
        blank=True,
        help_text='The fields whose values this source supports, e.g. ["year_signed"]; '
        "empty: all of them.",
    )

    class Meta:
        ordering = ["source__slug", "locator"]
        constraints = [
            models.UniqueConstraint(
                fields=["fact", "source", "locator"], name="content_citation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.citation_label()} — {self.locator}"

    def clean(self) -> None:
        fields = self.fields or []
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            raise ValidationError({"fields": 'A list of field names, e.g. ["year_signed"].'})
        if self.fact_id and self.fact.kind_id:
            known = {s.name for s in self.fact.kind.field_specs()}
            unknown = sorted(set(fields) - known)
            if unknown:
                raise ValidationError({"fields": f"Not fields of this kind: {', '.join(unknown)}."})

    def to_data(self) -> dict:
        return {
            "source": self.source.slug,
            "locator": self.locator,
            "fields": sorted(self.fields or []),
        }

    def supports(self, field_name: str) -> bool:
        return not self.fields or field_name in self.fields
