"""The entry points: ``generate`` one question, ``generate_all`` of them, and the deal that
balances where each template puts its key."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

from content.generator.audit import audit
from content.generator.bank import Bank
from content.generator.data import (
    CannotGenerate,
    FactData,
    Question,
    Skip,
    TemplateData,
)
from content.generator.styles import (
    composite,
    mcq,
)
from content.schema import (
    placeholders,
)


def slot_of(bank: Bank, template: TemplateData, fact: FactData, seed: int) -> int | None:
    """Where this question puts its key (0–3): the template's facts in a seeded order,
    dealt round the four positions, so every position (a number's rank, a how-many
    count) gets a quarter of the template's questions. None for a fact the template
    cannot use."""
    key = (template.slug, seed)
    if key in bank._dealing:
        return 0  # a provisional place while the deal below tries each fact
    if key not in bank._slots:
        needed = {template.answer, *placeholders(template.stem)}
        needed |= set(placeholders(template.statement))
        if template.pair_left:
            needed.add(template.pair_left)
        eligible = [f.slug for f in bank.by_kind.get(template.kind, []) if needed <= set(f.values)]
        eligible.sort(
            key=lambda slug: hashlib.sha256(f"{seed}:{template.slug}:{slug}".encode()).digest()
        )
        # Start each template's deal at its own position, so the odd facts of small
        # templates do not all land on A.
        start = hashlib.sha256(f"{seed}:{template.slug}".encode()).digest()[0] % 4
        bank._slots[key] = (eligible, {s: i for i, s in enumerate(eligible)}, start, {})
    eligible, position, start, viable = bank._slots[key]
    # Deal only to the facts that yield a question, so skips do not unbalance it: the
    # viable facts in the seeded order, then the rest. Tried lazily (the slowest part of
    # a paper): a viable fact's place needs only the facts before it.
    if fact.slug not in position:
        return None

    def yields(slug: str) -> bool:
        if slug not in viable:
            bank._dealing.add(key)
            try:
                viable[slug] = _yields(bank, template, slug, seed)
            finally:
                bank._dealing.discard(key)
        return viable[slug]

    here = position[fact.slug]
    if yields(fact.slug):
        index = sum(yields(slug) for slug in eligible[:here])
    else:
        flags = [yields(slug) for slug in eligible]
        index = sum(flags) + sum(not f for f in flags[:here])
    return (start + index) % 4


def _yields(bank: Bank, template: TemplateData, slug: str, seed: int) -> bool:
    try:
        generate(bank, template, bank.facts[slug], seed)
    except CannotGenerate:
        return False
    return True


def generate(bank: Bank, template: TemplateData, fact: FactData, seed: int = 0) -> Question:
    """Build the question for (template, fact) under ``seed``, or raise CannotGenerate."""
    if template.kind != fact.kind:
        raise CannotGenerate(
            f"template {template.slug} is for kind {template.kind}, not {fact.kind}"
        )
    if fact.slug not in bank.facts:
        raise CannotGenerate(f"fact {fact.slug} is not servable")
    rng = random.Random(f"{seed}:{template.slug}:{fact.slug}")
    slot = slot_of(bank, template, fact, seed)
    if template.style == "mcq":
        question = mcq(bank, template, fact, rng, slot)
    elif template.style in ("statements", "how_many", "pairs"):
        question = composite(bank, template, fact, rng, slot)
    else:
        raise CannotGenerate(f"unknown style {template.style!r}")
    problems = audit(bank, question)
    if problems:
        raise CannotGenerate("; ".join(problems))
    return question


def generate_all(bank: Bank, seed: int = 0) -> Iterator[Question | Skip]:
    """Every (template, fact) pair of the bank: the question, or a Skip with its reason."""
    for template in bank.templates.values():
        for fact in bank.by_kind.get(template.kind, []):
            try:
                yield generate(bank, template, fact, seed)
            except CannotGenerate as exc:
                yield Skip(template.slug, fact.slug, str(exc))
