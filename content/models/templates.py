"""Question templates: patterns over a kind's fields, in one of four styles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from content import schema
from content.models.base import DataMapped, history_records, loaded_hash_field
from content.models.facts import FactKind


class QuestionTemplate(DataMapped):
    class Style(models.TextChoices):
        MCQ = "mcq", "Direct multiple choice"
        STATEMENTS = "statements", "Which statements are correct"
        HOW_MANY = "how_many", "How many statements are correct"
        PAIRS = "pairs", "How many pairs are correctly matched"

    class Distractors(models.TextChoices):
        OTHER_FACTS = "other_facts", "Other facts' values for the same field"
        NEARBY = "nearby", "Nearby plausible values (years, dates, amounts)"
        CURATED = "curated", "The kind's curated decoys"

    class Difficulty(models.IntegerChoices):
        EASY = 1, "Easy"
        MEDIUM = 2, "Medium"
        HARD = 3, "Hard"

    # How many items each composite style may list (UPSC uses 2–4).
    ITEMS = {Style.STATEMENTS: (2, 3), Style.HOW_MANY: (3, 4), Style.PAIRS: (3, 4)}

    slug = models.SlugField(max_length=120, unique=True)
    kind = models.ForeignKey(FactKind, on_delete=models.PROTECT, related_name="templates")
    style = models.CharField(max_length=12, choices=Style.choices, default=Style.MCQ)
    stem = models.TextField(
        help_text="The question (mcq) or the lead-in before the numbered items, with {field}s."
    )
    statement = models.TextField(
        blank=True, help_text="Statements/how-many only: one statement about a fact, with {field}s."
    )
    answer_field = models.CharField(
        max_length=80,
        help_text="The field asked for (mcq), or swapped for a wrong value in false items.",
    )
    pair_left_field = models.CharField(
        max_length=80, blank=True, help_text="Pairs only: the field shown on the left."
    )
    items = models.PositiveSmallIntegerField(
        default=0, help_text="Statements, how-many and pairs: number of items."
    )
    distractors = models.CharField(
        max_length=12, choices=Distractors.choices, default=Distractors.OTHER_FACTS
    )
    match_field = models.CharField(
        max_length=80,
        blank=True,
        help_text="Optional: draw wrong values only from facts sharing this field's value "
        "(e.g. 'country', so US officials compete with US officials).",
    )
    difficulty = models.PositiveSmallIntegerField(
        choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    explanation = models.TextField(help_text="Explanation pattern with {field}s.")
    active = models.BooleanField(default=True)

    loaded_hash = loaded_hash_field()
    history = history_records()

    # The files and the generator's TemplateData name the ``*_field`` fields without the suffix.
    DATA_FIELDS = {
        "style": "style",
        "stem": "stem",
        "statement": "statement",
        "answer": "answer_field",
        "pair_left": "pair_left_field",
        "items": "items",
        "distractors": "distractors",
        "match": "match_field",
        "difficulty": "difficulty",
        "explanation": "explanation",
        "active": "active",
    }

    class Meta:
        ordering = ["kind__name", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(style="mcq", items=0)
                    | models.Q(style="statements", items__in=[2, 3])
                    | models.Q(style__in=["how_many", "pairs"], items__in=[3, 4])
                ),
                name="content_template_items_fit_style",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("admin:content_questiontemplate_change", args=[self.pk])

    def to_data(self) -> dict:
        """Needs ``kind`` loaded (or costs a query)."""
        return {"slug": self.slug, "kind": self.kind.slug, **self.data_fields()}

    def clean(self) -> None:
        if not self.kind_id:
            return
        try:
            specs = {s.name: s for s in self.kind.field_specs()}
        except schema.SchemaError as exc:
            raise ValidationError({"kind": f"The kind's schema is invalid: {exc}"}) from None
        errors: dict[str, str] = {}
        known = ", ".join(specs)
        for attr in ("stem", "statement", "explanation"):
            unknown = [p for p in schema.placeholders(getattr(self, attr)) if p not in specs]
            if unknown:
                errors[attr] = (
                    f"Unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)}; "
                    f"fields of {self.kind.name}: {known}."
                )
        if not self.answer_field:
            errors["answer_field"] = "Name the field that holds the answer."
        elif self.answer_field not in specs:
            errors["answer_field"] = (
                f"'{self.answer_field}' is not a field of {self.kind.name}: {known}."
            )
        else:
            answer_spec = specs[self.answer_field]
            if self.style == self.Style.MCQ and self.answer_field in schema.placeholders(self.stem):
                errors["stem"] = f"The stem must not show the answer field {{{self.answer_field}}}."
            if (
                self.distractors == self.Distractors.NEARBY
                and answer_spec.type not in schema.NEARBY_TYPES
            ):
                errors["distractors"] = (
                    f"Nearby values need a year, month, date, number or amount; "
                    f"'{self.answer_field}' is {answer_spec.type}."
                )
            if self.distractors == self.Distractors.CURATED and not (self.kind.decoys or {}).get(
                self.answer_field
            ):
                errors["distractors"] = f"The kind has no curated decoys for '{self.answer_field}'."
        if self.match_field:
            if self.match_field not in specs:
                errors["match_field"] = f"'{self.match_field}' is not a field: {known}."
            elif self.match_field == self.answer_field:
                errors["match_field"] = "Matching on the answer field would leave no wrong values."
        if self.style == self.Style.MCQ:
            if self.items:
                errors["items"] = "Direct questions have no numbered items; leave this at 0."
        else:
            allowed = self.ITEMS[self.style]
            if self.items not in allowed:
                errors["items"] = f"This style takes {' or '.join(map(str, allowed))} items."
        if self.style in (self.Style.STATEMENTS, self.Style.HOW_MANY):
            if not self.statement.strip():
                errors["statement"] = "Write the statement pattern for this style."
            elif self.answer_field not in schema.placeholders(self.statement):
                errors["statement"] = (
                    f"The statement must show the answer field {{{self.answer_field}}}."
                )
        if self.style == self.Style.PAIRS:
            if not self.pair_left_field:
                errors["pair_left_field"] = "Pairs need the field shown on the left."
            elif self.pair_left_field not in specs:
                errors["pair_left_field"] = f"'{self.pair_left_field}' is not a field: {known}."
            elif self.pair_left_field == self.answer_field:
                errors["pair_left_field"] = "The left side must differ from the answer field."
        if errors:
            raise ValidationError(errors)
