"""The content bank: sources, topics, fact kinds (schemas), facts, question templates and the
conflict register.

Facts are modelled the way Anki models notes (typed fields validated against a kind) and
question templates the way it models card templates (patterns over those fields).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from content import schema


def _loaded_hash_field() -> models.CharField:
    # How load_content tells an admin edit from a file change: the hash of the row as the
    # files last gave it (see content.bank_files). Not an editable value, and not in history, so
    # reverting to an old version is still an edit since the last load.
    return models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Hash of the row as load_content last wrote it from the files.",
    )


def _history() -> HistoricalRecords:
    """Who changed what and when, viewable and revertible in the admin."""
    return HistoricalRecords(excluded_fields=["loaded_hash"])


class Source(models.Model):
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

    loaded_hash = _loaded_hash_field()
    history = _history()

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def citation_label(self) -> str:
        by = ", ".join(part for part in (self.author, self.publisher) if part)
        when = self.published_on.strftime("%-d %b %Y") if self.published_on else "undated"
        return f"{self.title} ({by}, {when})" if by else f"{self.title} ({when})"


class Topic(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    loaded_hash = _loaded_hash_field()
    history = _history()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class FactKind(models.Model):
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

    loaded_hash = _loaded_hash_field()
    history = _history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def field_specs(self) -> tuple[schema.FieldSpec, ...]:
        return schema.parse_fields(self.fields, self.slug)

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


class Fact(models.Model):
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

    loaded_hash = _loaded_hash_field()
    history = _history()

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

    def supports(self, field_name: str) -> bool:
        return not self.fields or field_name in self.fields


class QuestionTemplate(models.Model):
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

    loaded_hash = _loaded_hash_field()
    history = _history()

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


class Conflict(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open (facts are not served)"
        RESOLVED = "resolved", "Resolved"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    facts = models.ManyToManyField(Fact, blank=True, related_name="conflicts")
    accepted = models.TextField(blank=True, help_text="The claim we accept.")
    reason = models.TextField(blank=True, help_text="Why we accept it.")

    loaded_hash = _loaded_hash_field()
    history = _history()

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

    def clean(self) -> None:
        if bool(self.field) != bool(self.value):
            raise ValidationError("Give both the field and the value the claim gives, or neither.")
