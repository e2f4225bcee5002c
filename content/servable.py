"""Build the generator's ``Bank`` from the database in a fixed number of queries.

Rows are screened on the way in: a kind, fact or template that the admin's validation would
refuse (because it reached the database some other way — a shell, an old release, a bug) is
left out and reported as a ``Problem``, so one broken row never stops the rest of the bank
from being served.
"""

from __future__ import annotations

import dataclasses
import logging

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse

from content import schema
from content.generator import STYLES, Bank, FactData, KindData, TemplateData, from_data
from content.generator.explain import Dispute
from content.models import Citation, Conflict, ConflictClaim, Fact, FactKind, QuestionTemplate

logger = logging.getLogger(__name__)

# Whatever a malformed JSON value can make validation code raise.
_DATA_ERRORS = (ValidationError, ValueError, TypeError, KeyError, AttributeError, IndexError)


@dataclasses.dataclass(frozen=True)
class Problem:
    """A row left out of the bank, and why."""

    model: str  # "kind", "fact" or "template"
    slug: str
    pk: int
    reason: str

    ADMIN_NAMES = {"kind": "factkind", "fact": "fact", "template": "questiontemplate"}

    def __str__(self) -> str:
        return f"{self.model} {self.slug} skipped: {self.reason}"

    def admin_url(self) -> str:
        return reverse(f"admin:content_{self.ADMIN_NAMES[self.model]}_change", args=[self.pk])


def _flatten(exc: ValidationError | Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "; ".join(" ".join(v) for v in exc.message_dict.values())
        return " ".join(exc.messages)
    if isinstance(exc, schema.SchemaError) and isinstance(exc.args[0], dict):
        return "; ".join(str(v) for v in exc.args[0].values())
    return str(exc) or type(exc).__name__


def kind_problem(kind: FactKind) -> str | None:
    """Why ``kind`` cannot be served (its schema, label or decoys are invalid), or None."""
    try:
        kind.clean()
    except _DATA_ERRORS as exc:
        return _flatten(exc)
    return None


def fact_problem(fact: Fact, specs: tuple[schema.FieldSpec, ...]) -> str | None:
    """Why ``fact``'s stored values cannot be served under ``specs``, or None."""
    try:
        _clean_fact_values(fact, specs)
    except _DATA_ERRORS as exc:
        return _flatten(exc)
    return None


def _clean_fact_values(fact: Fact, specs) -> tuple[dict, dict]:
    values = schema.validate_values(specs, fact.values)
    aliases = schema.validate_aliases(specs, fact.aliases)
    schema.validate_not_wrong(specs, getattr(fact, "not_wrong", None))
    by_name = {s.name: s for s in specs}
    for name, value in values.items():
        by_name[name].display(value)
    for name, items in aliases.items():
        for item in items:
            by_name[name].display(item)
    return values, aliases


def template_problem(template: QuestionTemplate) -> str | None:
    """Why ``template`` cannot be served (what its admin form would refuse), or None.
    Needs ``kind`` loaded (or costs a query)."""
    if template.style not in STYLES:
        return f"unknown style {template.style!r}"
    try:
        template.clean()
    except _DATA_ERRORS as exc:
        return _flatten(exc)
    return None


def citation_text(citation: Citation) -> str:
    return f"{citation.source.citation_label()} — {citation.locator}"


def short_name(publisher: str, title: str) -> str:
    """How an explanation names a source in passing: its publisher without the bracketed
    detail ("ANI (via Devdiscourse)" -> "ANI"), else its title."""
    return publisher.split(" (")[0].strip() or title


def disputes() -> dict[str, tuple[Dispute, ...]]:
    """Fact slug -> the values resolved conflicts record other sources giving for its fields
    (one query)."""
    found: dict[str, list[Dispute]] = {}
    rows = (
        ConflictClaim.objects.filter(conflict__status=Conflict.Status.RESOLVED)
        .exclude(value="")
        .exclude(field="")
        .filter(conflict__facts__isnull=False)
        .order_by("conflict__slug", "id")
        .values_list(
            "conflict__facts__slug", "field", "value", "source__publisher", "source__title"
        )
    )
    for slug, field, value, publisher, title in rows:
        found.setdefault(slug, []).append(Dispute(field, value, short_name(publisher, title)))
    return {slug: tuple(items) for slug, items in found.items()}


def kind_data(kind: FactKind) -> KindData:
    return KindData(
        slug=kind.slug,
        fields=kind.field_specs(),
        decoys={k: tuple(v) for k, v in (kind.decoys or {}).items()},
    )


def fact_data(fact: Fact) -> FactData:
    """Needs ``kind``, ``topic``, ``citations__source`` and ``excludes`` loaded (or costs queries)."""
    citations = fact.citations.all()
    return from_data(
        FactData,
        fact.data_fields(),
        slug=fact.slug,
        kind=fact.kind.slug,
        topic=fact.topic.slug,
        values=dict(fact.values),
        aliases={k: tuple(v) for k, v in (fact.aliases or {}).items()},
        not_wrong={k: tuple(v) for k, v in (fact.not_wrong or {}).items()},
        excludes=frozenset(o.slug for o in fact.excludes.all()),
        as_of_label=fact.as_of_label if fact.as_of else "",
        sources=tuple(citation_text(c) for c in citations),
        citations=tuple((citation_text(c), tuple(c.fields or ())) for c in citations),
    )


def template_data(template: QuestionTemplate) -> TemplateData:
    """Needs ``kind`` loaded (or costs a query)."""
    return from_data(TemplateData, template.to_data())


def servable_facts():
    return (
        Fact.objects.servable()
        .select_related("kind", "topic")
        .prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
            Prefetch("excludes", queryset=Fact.objects.only("slug")),
        )
        .distinct()
    )


def _screened(extra_templates=(), extra_facts=()):
    """(kinds, facts, templates, problems): the servable rows, screened one by one."""
    problems: list[Problem] = []
    kinds: dict[str, KindData] = {}
    domains: dict[str, tuple[str, str]] = {}  # domain -> (type, kind slug)
    for kind in FactKind.objects.order_by("slug"):
        reason = kind_problem(kind)
        if reason is None:
            # Two kinds sharing a distractor domain must agree on its type (years compete
            # with years), or the bank cannot be indexed at all.
            specs = kind.field_specs()
            for spec in specs:
                seen_type, seen_kind = domains.get(spec.domain, (spec.type, kind.slug))
                if seen_type != spec.type:
                    reason = (
                        f"field {spec.name!r} is a {spec.type} in domain {spec.domain!r}, "
                        f"which kind {seen_kind} uses for a {seen_type}"
                    )
                    break
        if reason is not None:
            problems.append(
                Problem("kind", kind.slug, kind.pk, f"{reason} (none of its facts are served)")
            )
            continue
        for spec in specs:
            domains.setdefault(spec.domain, (spec.type, kind.slug))
        kinds[kind.slug] = kind_data(kind)
    facts: dict[str, FactData] = {}
    names: dict[str, str] = {}
    for fact in servable_facts():
        if fact.kind.slug not in kinds:
            continue  # reported with its kind
        specs = kinds[fact.kind.slug].fields
        try:
            values, aliases = _clean_fact_values(fact, specs)
        except _DATA_ERRORS as exc:
            problems.append(Problem("fact", fact.slug, fact.pk, _flatten(exc)))
            continue
        facts[fact.slug] = dataclasses.replace(
            fact_data(fact), values=values, aliases={k: tuple(v) for k, v in aliases.items()}
        )
        for citation in fact.citations.all():
            names[citation_text(citation)] = short_name(
                citation.source.publisher, citation.source.title
            )
    for extra in extra_facts:
        facts[extra.slug] = extra
    templates: dict[str, TemplateData] = {}
    for template in QuestionTemplate.objects.filter(active=True).select_related("kind"):
        if template.kind.slug not in kinds:
            continue  # reported with its kind
        reason = template_problem(template)
        if reason is not None:
            problems.append(Problem("template", template.slug, template.pk, reason))
            continue
        templates[template.slug] = template_data(template)
    for extra in extra_templates:
        templates[extra.slug] = extra
    for problem in problems:
        logger.warning("content bank: %s", problem)
    kept = (list(kinds.values()), list(facts.values()), list(templates.values()), problems)
    return (*kept, names)


def bank_from_db(extra_templates=(), extra_facts=()) -> Bank:
    """The servable bank: 6 queries however large it is (kinds, facts, citations, excludes,
    templates, and the values conflicts record other sources giving, for explanations).
    ``extra_*`` let the admin preview unsaved objects against the real bank.
    Rows that fail their checks are left out and listed in ``bank.problems``."""
    kinds, facts, templates, problems, names = _screened(extra_templates, extra_facts)
    bank = Bank(kinds, facts, templates, problems=problems)
    # Read by content.generator.explain (a plain Bank, as the property tests build, has neither).
    bank.source_names = names
    bank.disputes = disputes()
    return bank


def problems_in_db() -> list[Problem]:
    """The rows ``bank_from_db`` leaves out, without building the bank (5 queries)."""
    return _screened()[3]
