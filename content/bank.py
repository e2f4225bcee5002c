"""Build the generator's ``Bank`` from the database in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch

from content.generator import Bank, FactData, KindData, TemplateData
from content.models import Citation, Fact, FactKind, QuestionTemplate


def citation_text(citation: Citation) -> str:
    return f"{citation.source.citation_label()} — {citation.locator}"


def kind_data(kind: FactKind) -> KindData:
    specs = kind.field_specs()
    return KindData(
        slug=kind.slug,
        fields=specs,
        decoys={k: tuple(v) for k, v in (kind.decoys or {}).items()},
    )


def fact_data(fact: Fact) -> FactData:
    """Needs ``kind``, ``topic``, ``citations__source`` and ``excludes`` loaded (or costs queries)."""
    return FactData(
        slug=fact.slug,
        kind=fact.kind.slug,
        topic=fact.topic.slug,
        values=dict(fact.values),
        aliases={k: tuple(v) for k, v in (fact.aliases or {}).items()},
        excludes=frozenset(o.slug for o in fact.excludes.all()),
        as_of_label=fact.as_of_label if fact.as_of else "",
        sources=tuple(citation_text(c) for c in fact.citations.all()),
    )


def template_data(template: QuestionTemplate) -> TemplateData:
    return TemplateData(
        slug=template.slug,
        kind=template.kind.slug,
        style=template.style,
        stem=template.stem,
        answer=template.answer_field,
        explanation=template.explanation,
        statement=template.statement,
        pair_left=template.pair_left_field,
        items=template.items,
        distractors=template.distractors,
        difficulty=template.difficulty,
        match=template.match_field,
    )


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


def load_bank_from_db(extra_templates=(), extra_facts=()) -> Bank:
    """The servable bank: 5 queries however large it is (kinds, facts, citations, excludes,
    templates). ``extra_*`` let the admin preview unsaved objects against the real bank."""
    kinds = [kind_data(k) for k in FactKind.objects.all()]
    facts = {f.slug: fact_data(f) for f in servable_facts()}
    for extra in extra_facts:
        facts[extra.slug] = extra
    templates = {
        t.slug: template_data(t)
        for t in QuestionTemplate.objects.filter(active=True).select_related("kind")
    }
    for extra in extra_templates:
        templates[extra.slug] = extra
    return Bank(kinds, facts.values(), templates.values())
