"""Assemble a paper (a list of questions) from the bank."""

from __future__ import annotations

import random
from collections.abc import Iterable

from content.generator import Bank, CannotGenerate, Question, generate


def build_paper(
    bank: Bank,
    count: int,
    seed: int = 0,
    topics: Iterable[str] | None = None,
    styles: Iterable[str] | None = None,
) -> list[Question]:
    """Up to ``count`` sound questions, spread over as many different facts as possible.

    Pure: costs no queries, so a paper's query count is the bank's, whatever ``count`` is.
    """
    topics = set(topics) if topics else None
    styles = set(styles) if styles else None
    pairs = [
        (template, fact)
        for template in bank.templates.values()
        if styles is None or template.style in styles
        for fact in bank.by_kind.get(template.kind, [])
        if topics is None or fact.topic in topics
    ]
    rng = random.Random(f"paper:{seed}")
    rng.shuffle(pairs)
    paper: list[Question] = []
    used_facts: set[str] = set()
    deferred = []
    # First pass: one question per anchor fact; second pass fills up with the rest.
    for template, fact in pairs:
        if len(paper) >= count:
            break
        if fact.slug in used_facts:
            deferred.append((template, fact))
            continue
        try:
            paper.append(generate(bank, template, fact, seed))
            used_facts.add(fact.slug)
        except CannotGenerate:
            continue
    for template, fact in deferred:
        if len(paper) >= count:
            break
        try:
            paper.append(generate(bank, template, fact, seed))
        except CannotGenerate:
            continue
    return paper
