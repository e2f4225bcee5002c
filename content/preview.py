"""Admin previews: what a template or a fact generates right now, or why it cannot."""

from __future__ import annotations

from dataclasses import dataclass

from content.generator import Bank, CannotGenerate, FactData, Question, TemplateData, generate


@dataclass
class PreviewRow:
    label: str
    question: Question | None = None
    reason: str = ""


def preview_template(bank: Bank, template: TemplateData, limit: int = 3, seed: int = 0) -> dict:
    """Up to ``limit`` questions from ``template`` over its kind's facts, plus why the
    remaining facts cannot yield one."""
    shown: list[PreviewRow] = []
    skipped: list[PreviewRow] = []
    facts = bank.by_kind.get(template.kind, [])
    for fact in facts:
        try:
            question = generate(bank, template, fact, seed)
        except CannotGenerate as exc:
            skipped.append(PreviewRow(fact.slug, reason=str(exc)))
            continue
        if len(shown) < limit:
            shown.append(PreviewRow(fact.slug, question=question))
    return {
        "rows": shown,
        "skipped": skipped,
        "total": len(facts),
        "generated": len(facts) - len(skipped),
    }


def preview_fact(bank: Bank, fact: FactData, seed: int = 0) -> dict:
    """One question per template of the fact's kind (or the reason there is none)."""
    rows = []
    for template in bank.templates.values():
        if template.kind != fact.kind:
            continue
        try:
            rows.append(PreviewRow(template.slug, question=generate(bank, template, fact, seed)))
        except CannotGenerate as exc:
            rows.append(PreviewRow(template.slug, reason=str(exc)))
    return {
        "rows": [r for r in rows if r.question],
        "skipped": [r for r in rows if not r.question],
        "total": len(rows),
        "generated": sum(1 for r in rows if r.question),
    }
