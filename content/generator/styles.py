"""The four question styles: a direct multiple-choice question (``mcq``), and the composite
styles that list numbered items (``statements``, ``how_many``, ``pairs``)."""

from __future__ import annotations

import itertools
import random

from content.generator import cues, explain
from content.generator.bank import Bank
from content.generator.data import (
    CannotGenerate,
    FactData,
    KindData,
    Question,
    TemplateData,
)
from content.generator.distractors import (
    in_series_order,
    numeric_options,
    ordinal,
    wrong_values,
)
from content.generator.wording import (
    COUNT_ORDER,
    as_of_label,
    as_of_note,
    as_of_prefix,
    count_options,
    mentions,
    render,
    statement_options,
    subsets_for_slot,
)
from content.schema import (
    NEARBY_TYPES,
    FieldSpec,
    canon,
    placeholders,
)


def mcq(
    bank: Bank, template: TemplateData, fact: FactData, rng: random.Random, slot: int | None
) -> Question:
    kind = bank.kinds[fact.kind]
    spec = kind.spec(template.answer)
    if template.answer not in fact.values:
        raise CannotGenerate(
            f"fact {fact.slug} has no value for the answer field {template.answer}"
        )
    stem_fields = placeholders(template.stem)
    stem = as_of_prefix(as_of_label(bank, template, fact), render(template.stem, fact, kind))
    # What a rival the fact excludes would answer: such a rival never lends a wrong value
    # (the two descriptions overlap), so it leaves the answer unique as long as no option
    # shows its answer by other means (a nearby year, a value another fact also holds).
    shadowed: dict[str, str] = {}
    for rival in bank.rivals(fact, stem_fields):
        rival_kind = bank.kinds[rival.kind]
        rival_spec = next((s for s in rival_kind.fields if s.name == template.answer), None)
        if rival_spec is not None and rival_spec.type != spec.type:
            # The stem asks for a different sort of thing of the rival (a growth rate, not
            # an amount), so the rival cannot supply a competing answer.
            continue
        same = template.answer in rival.values and any(
            s.name == template.answer
            and s.domain == spec.domain
            and bank.truths(rival, s) & bank.truths(fact, spec)
            for s in rival_kind.fields
        )
        if not same and bank.excluded(fact, rival):
            if rival_spec is not None and template.answer in rival.values:
                for shown in [
                    rival.values[template.answer],
                    *rival.aliases.get(template.answer, ()),
                ]:
                    shadowed[canon(rival_spec.display(shown))] = rival.slug
            continue
        if not same:
            raise CannotGenerate(
                f"the stem also describes {rival.slug}, so its answer is not unique"
            )

    def shadowing(options: list[str]) -> str | None:
        for option in options:
            if canon(option) in shadowed:
                return (
                    f"the stem also describes {shadowed[canon(option)]}, so its answer is "
                    "not unique"
                )
        return None

    correct = fact.values[template.answer]
    for shown in [correct, *fact.aliases.get(template.answer, ())]:
        if mentions(stem, spec.display(shown)):
            raise CannotGenerate("the correct answer appears in the stem")
    target = slot if slot is not None else rng.randrange(4)
    if spec.type in NEARBY_TYPES:
        # Ascending, as exams print numbers; the key's rank is the balanced slot.
        raws, answer = numeric_options(bank, fact, spec, rng, target)
        options = [spec.display(r) for r in raws]
        found = [shadowing(options)] if shadowing(options) else []
        found = found or cues.mcq_cues(stem, options, answer, numeric=True)
    else:
        # Other sets of wrong options may lose a cue the first one had: try them in a
        # seeded order (the primary candidates' sets first) until one carries none.
        candidates: list = []
        wrong = wrong_values(bank, template, fact, spec, rng, 3, draws=candidates)
        sets = [wrong, *_other_sets(candidates, rng)]
        answer = target
        # Does every set fail only on cues of the options' own form or words (odd one out,
        # longest, convergence), which no wording of the stem can remove?
        form_only = True
        for wrong in sets:
            wrong = list(wrong)
            rng.shuffle(wrong)
            raws = [*wrong[:target], correct, *wrong[target:]]
            options = [spec.display(r) for r in raws]
            found = [shadowing(options)] if shadowing(options) else []
            found = found or cues.mcq_cues(stem, options, answer)
            if not found:
                break
            form_only = form_only and all(reason.startswith(cues.FORM_CUES) for reason in found)
        pool = {root for root, _raw in candidates}
        if found and form_only and len(pool) <= _EVERY_SET_TRIED:
            # Every set was tried: only more comparable wrong values can match the key's form.
            comparable = f"comparable ({', '.join(spec.peers)}) " if spec.peers else ""
            raise CannotGenerate(
                f"only {len(pool)} {comparable}wrong value(s) for {spec.name} of {fact.slug}, "
                f"and every set of three of them carries a cue of form ({'; '.join(found)})"
            )
    if found:
        raise CannotGenerate("; ".join(found))
    wrong = [raw for position, raw in enumerate(raws) if position != answer]
    explanation, sources = explain.explain_mcq(
        bank, template, fact, wrong, as_of_note(as_of_label(bank, template, fact))
    )
    return Question(
        id=f"{template.slug}:{fact.slug}",
        template=template.slug,
        style="mcq",
        stem=stem,
        options=options,
        answer=answer,
        explanation=explanation,
        sources=sources,
        topic=fact.topic,
        facts=[fact.slug],
        difficulty=template.difficulty,
    )


# With this many wrong values or fewer, ``_other_sets`` tries every set of three (C(7,3) = 35).
_EVERY_SET_TRIED = 7


def _other_sets(candidates: list, rng: random.Random, limit: int = 60) -> list[list]:
    """Up to ``limit`` further sets of three wrong values, in a seeded order."""
    pool = [raw for _root, raw in candidates]
    if len(pool) > 12:
        pool = pool[:6] + rng.sample(pool[6:], 6)
    combos = list(itertools.combinations(pool, 3))
    rng.shuffle(combos)
    return [list(c) for c in combos[:limit]]


def _item_subject_fields(template: TemplateData) -> list[str]:
    if template.style == "pairs":
        return [template.pair_left]
    return [p for p in placeholders(template.statement) if p != template.answer]


def _eligible(bank: Bank, template: TemplateData, fact: FactData) -> str | None:
    """Why ``fact`` cannot be an item of ``template`` (None if it can)."""
    needed = set(_item_subject_fields(template)) | {template.answer}
    if template.style != "pairs":
        needed |= set(placeholders(template.statement))
    needed |= set(placeholders(template.explanation))
    missing = sorted(n for n in needed if n not in fact.values)
    if missing:
        return f"fact {fact.slug} has no value for {', '.join(missing)}"
    for rival in bank.rivals(fact, _item_subject_fields(template)):
        rival_spec = bank.answer_spec(rival, template.answer)
        if rival.kind != fact.kind or rival_spec is None:
            return (
                f"ambiguous subject: {rival.slug} shares the subject of {fact.slug} but is "
                f"a fact of another sort or has no {template.answer}"
            )
        # The value the item shows must be the rival's own value or alias, not merely one
        # the alias classes join to it.
        own = {
            canon(v)
            for v in [rival.values[template.answer], *rival.aliases.get(template.answer, ())]
        }
        if canon(fact.values[template.answer]) not in own:
            return (
                f"ambiguous subject: {rival.slug} shares the subject of {fact.slug} with "
                f"another {template.answer}"
            )
    return None


def _subject_truths(
    bank: Bank, template: TemplateData, item: FactData, spec: FieldSpec
) -> set[str]:
    """Roots of every value true of a fact sharing ``item``'s subject (same person, same
    name): a false item must be false of all of them."""
    found: set[str] = set()
    for rival in bank.rivals(item, _item_subject_fields(template)):
        rival_spec = bank.answer_spec(rival, template.answer)
        if rival_spec is not None and rival_spec.domain == spec.domain:
            found |= bank.truths(rival, rival_spec)
    return found


def _others(
    bank: Bank, template: TemplateData, fact: FactData, kind: KindData, subject_fields
) -> list[FactData]:
    """The facts that may join ``fact`` as items of ``template``. A pure function of the
    bank, the template and the fact: memoised per bank for the bank's own template and
    fact, as the deal asks it of every fact of the kind."""
    own = bank.templates.get(template.slug) is template and bank.facts.get(fact.slug) is fact
    key = (template.slug, fact.slug)
    if own and key in bank._others_memo:
        return bank._others_memo[key]
    anchor_subject = {bank.root(kind.spec(f), fact.values[f]) for f in subject_fields}
    others = []
    for other in bank.by_kind[fact.kind]:
        if other.slug == fact.slug or other.slug in fact.excludes or fact.slug in other.excludes:
            continue
        if _eligible_memo(bank, template, other) is None:
            subject = {bank.root(kind.spec(f), other.values[f]) for f in subject_fields}
            if subject != anchor_subject:
                others.append(other)
    if own:
        bank._others_memo[key] = others
    return others


def _eligible_memo(bank: Bank, template: TemplateData, fact: FactData) -> str | None:
    if bank.templates.get(template.slug) is not template or bank.facts.get(fact.slug) is not fact:
        return _eligible(bank, template, fact)
    key = (template.slug, fact.slug)
    if key not in bank._eligible_memo:
        bank._eligible_memo[key] = _eligible(bank, template, fact)
    return bank._eligible_memo[key]


def _can_be_false(bank: Bank, template: TemplateData, item: FactData, spec: FieldSpec) -> bool:
    """Has ``item`` a wrong value of ``spec`` for ``template``? (Memoised like ``_others``.)"""
    own = bank.templates.get(template.slug) is template and bank.facts.get(item.slug) is item
    key = (template.slug, item.slug, spec)
    if own and key in bank._false_memo:
        return bank._false_memo[key]
    try:
        wrong_values(bank, template, item, spec, random.Random(0), 1)
        found = True
    except CannotGenerate:
        found = False
    if own:
        bank._false_memo[key] = found
    return found


def composite(
    bank: Bank, template: TemplateData, fact: FactData, rng: random.Random, slot: int | None
) -> Question:
    kind = bank.kinds[fact.kind]
    spec = kind.spec(template.answer)
    n = template.items
    reason = _eligible_memo(bank, template, fact)
    if reason:
        raise CannotGenerate(reason)
    subject_fields = _item_subject_fields(template)
    others = _others(bank, template, fact, kind, subject_fields)
    if len(others) < n - 1:
        raise CannotGenerate(
            f"only {len(others)} other usable fact(s) of kind {fact.kind}; need {n - 1}"
        )
    # No two items may share a subject, or two statements could speak of the same thing
    # (two facts may: the same minister at two dialogues). Draw again when they would.
    for _attempt in range(20):
        picked = rng.sample(others, n - 1)
        subjects = [tuple(canon(o.values[f]) for f in subject_fields) for o in [fact, *picked]]
        if len(set(subjects)) == n:
            break
    else:
        raise CannotGenerate("two items would name the same subject")
    items = [fact, *picked]
    rng.shuffle(items)

    # The answer's place among the options is the balanced slot: a subset of statements
    # placed there, or a count of true items ("Only two") whose label sits there.
    target = slot if slot is not None else rng.randrange(4)
    subsets = None
    if template.style == "statements":
        correct_subset, subsets = subsets_for_slot(n, target, rng)
        truth = [i + 1 in correct_subset for i in range(n)]
    else:
        true_count = COUNT_ORDER[n][target]
        true_at = set(rng.sample(range(n), true_count))
        truth = [i in true_at for i in range(n)]

    # A false item needs a wrong value of its class; give the false places to items that
    # have one, so the balanced answer does not depend on which facts were drawn.
    can_be_false = []
    for item in items:
        if _can_be_false(bank, template, item, spec):
            can_be_false.append(item)
    false_places = [i for i, t in enumerate(truth) if not t]
    if len(can_be_false) < len(false_places):
        raise CannotGenerate(
            f"only {len(can_be_false)} of the items can be made false; need {len(false_places)}"
        )
    false_items = rng.sample(can_be_false, len(false_places))
    rest = [item for item in items if item not in false_items]
    items = [false_items.pop() if not t else rest.pop() for t in truth]

    # Items of an ordered series (the first, second… dialogue) keep its order, true or
    # false: "the fifth was held in 2017" beside "the first in 2018" refutes itself.
    series = []
    if spec.series:
        ranks = [ordinal(item.values.get(spec.series, "")) for item in items]
        if all(r is not None for r in ranks):
            series = ranks
    shown: list = [
        item.values[template.answer] if t else None for item, t in zip(items, truth, strict=True)
    ]
    truths_shown = list(shown)
    # A series leaves some wrong values no room (the third given the fourth's slot):
    # fill the false items again, in another order, before giving up.
    for attempt in range(6 if series else 1):
        shown = list(truths_shown)
        used_wrong: set[str] = set()
        order = [i for i, t in enumerate(truth) if not t]
        if attempt:
            rng.shuffle(order)
        try:
            for index in order:
                keep = None
                if series:

                    def keep(raw, index=index, shown=shown):
                        points = [(series[i], v) for i, v in enumerate(shown) if v is not None]
                        return in_series_order([*points, (series[index], raw)], spec)

                taken = used_wrong | _subject_truths(bank, template, items[index], spec)
                raw = wrong_values(
                    bank, template, items[index], spec, rng, 1, taken=taken, keep=keep
                )[0]
                used_wrong.add(bank.root(spec, raw))
                shown[index] = raw
            break
        except CannotGenerate:
            if attempt == (5 if series else 0):
                raise
    # Re-derive every item's truth from the bank rather than trusting the plan above.
    truth = [bank.is_true_of(item, spec, raw) for item, raw in zip(items, shown, strict=True)]

    lines = []
    records = []
    for number, (item, raw, is_true) in enumerate(zip(items, shown, truth, strict=True), 1):
        if template.style == "pairs":
            left = kind.spec(template.pair_left).display(item.values[template.pair_left])
            right = spec.display(raw)
            lines.append(f"{number}. {left} — {right}")
            records.append({"left": left, "right": right, "true": is_true})
        else:
            text = as_of_prefix(
                as_of_label(bank, template, item),
                render(template.statement, item, kind, {template.answer: raw}),
            )
            lines.append(f"{number}. {text}")
            records.append({"text": text, "true": is_true})

    intro = render(template.stem, fact, kind) if placeholders(template.stem) else template.stem
    if template.style == "statements":
        question = "Which of the statements given above is/are correct?"
        options, answer = statement_options(n, truth, subsets)
    elif template.style == "how_many":
        question = "How many of the above statements are correct?"
        options, answer = count_options(n, sum(truth), "")
    else:
        question = "How many of the pairs given above are correctly matched?"
        options, answer = count_options(n, sum(truth), "pair")
    stem = "\n".join([intro, *lines, question])

    noun = "Pair" if template.style == "pairs" else "Statement"
    notes = []
    sources: list[str] = []
    for number, (item, raw, is_true) in enumerate(zip(items, shown, truth, strict=True), 1):
        verdict = "correct" if is_true else "incorrect"
        if template.style == "pairs":
            verdict = "correctly matched" if is_true else "not correctly matched"
        note, cited = explain.explain_item(
            bank,
            template,
            item,
            raw,
            is_true,
            f"{noun} {number} is {verdict}: ",
            as_of_note(as_of_label(bank, template, item)),
        )
        notes.append(note)
        sources += [source for source in cited if source not in sources]
    return Question(
        id=f"{template.slug}:{fact.slug}",
        template=template.slug,
        style=template.style,
        stem=stem,
        options=options,
        answer=answer,
        explanation=" ".join(notes),
        sources=sources,
        topic=fact.topic,
        facts=[item.slug for item in items],
        difficulty=template.difficulty,
        statements=records if template.style != "pairs" else None,
        pairs=records if template.style == "pairs" else None,
    )
