"""An independent judge of generated questions, written without the generator's indexes.

It brute-forces which facts a stem or item describes and which options are true, so a
bug in the generator's alias classes or rival detection shows up as a disagreement.
"""

from __future__ import annotations

from content.generator import Bank, Question, subset_label
from content.schema import PLACEHOLDER_RE, canon, placeholders


def _shown(bank: Bank, fact, name: str) -> set[str]:
    kind = bank.kinds[fact.kind]
    if name not in {s.name for s in kind.fields}:
        return set()  # a fact of a kind without this field shows no value for it
    spec = kind.spec(name)
    values = [fact.values[name], *fact.aliases.get(name, ())] if name in fact.values else []
    return {canon(spec.display(v)) for v in values} | {canon(v) for v in values}


def _described(bank: Bank, anchor, fields: list[str]) -> list:
    """Every fact (any kind) whose values for ``fields`` read like the anchor's."""
    out = []
    for fact in bank.facts.values():
        if all(
            name in fact.values
            and name in anchor.values
            and _shown(bank, fact, name) & _shown(bank, anchor, name)
            for name in fields
        ):
            out.append(fact)
    return out


def _item_true(bank: Bank, template, style: str, item: dict, fact, shown=None) -> bool:
    """Is a pair or statement true of ``fact``? (Its subject as ``shown``'s values read.)"""
    shown = shown or fact
    if style == "pairs":
        return canon(item["right"]) in _shown(bank, fact, template.answer)
    kind = bank.kinds[shown.kind]
    true_texts = set()
    for value in [fact.values[template.answer], *fact.aliases.get(template.answer, ())]:
        text = PLACEHOLDER_RE.sub(
            lambda m, v=value, f=shown: kind.spec(m.group(1)).display(
                v if m.group(1) == template.answer else f.values[m.group(1)]
            ),
            template.statement,
        )
        true_texts.add(canon(text))
    return any(canon(item["text"]).endswith(t) for t in true_texts)


def judge(bank: Bank, q: Question) -> list[str]:
    problems = []
    template = bank.templates[q.template]
    if len(q.options) != 4:
        problems.append("not four options")
    if len({canon(o) for o in q.options}) != len(q.options):
        problems.append("duplicate options")
    for text in [q.stem, q.explanation, *q.options]:
        if PLACEHOLDER_RE.search(text):
            problems.append(f"placeholder left in {text!r}")
    if not q.sources:
        problems.append("no source")
    anchor = bank.facts[q.facts[0]] if q.style == "mcq" else None
    if q.style == "mcq":
        described = _described(bank, anchor, placeholders(template.stem))
        true_options = [
            i
            for i, option in enumerate(q.options)
            if any(canon(option) in _shown(bank, fact, template.answer) for fact in described)
        ]
        if true_options != [q.answer]:
            problems.append(f"true options {true_options}, marked {q.answer}")
        if canon(q.options[q.answer]) and f" {canon(q.options[q.answer])} " in f" {canon(q.stem)} ":
            problems.append("answer appears in the stem")
        answer_type = bank.kinds[anchor.kind].spec(template.answer).type
        for option in q.options:
            # Years compete with years: every option parses as the answer's type.
            if answer_type == "year" and not option.isdigit():
                problems.append(f"non-year option {option!r}")
    else:
        items = q.pairs if q.style == "pairs" else q.statements
        truth = []
        for item, slug in zip(items, q.facts, strict=True):
            fact = bank.facts[slug]
            is_true = _item_true(bank, template, q.style, item, fact)
            if q.style == "pairs":
                subject = [template.pair_left]
            else:
                subject = [p for p in placeholders(template.statement) if p != template.answer]
            # Another fact the item's subject names (the same minister at two dialogues) is
            # harmless only if the item is as true or false of it as of its own fact.
            for other in _described(bank, fact, subject):
                if other.slug == fact.slug:
                    continue
                if template.answer not in other.values or (
                    _item_true(bank, template, q.style, item, other, fact) != is_true
                ):
                    problems.append(f"item about {slug} also describes {other.slug}")
            if is_true != item["true"]:
                problems.append(f"item about {slug} marked {item['true']} but is {is_true}")
            truth.append(is_true)
        n = len(items)
        count = sum(truth)
        if q.style == "statements":
            expected = subset_label(tuple(i + 1 for i, t in enumerate(truth) if t), n)
        else:
            noun = " pair" if q.style == "pairs" else ""
            words = {1: "one", 2: "two", 3: "three", 4: "four"}
            if count == 0:
                expected = "None of the pairs" if noun else "None"
            elif count == n:
                expected = f"All {words[n]}{noun}{'s' if noun else ''}"
            else:
                expected = f"Only {words[count]}{noun}{'s' if noun and count > 1 else ''}"
        if q.options[q.answer] != expected:
            problems.append(f"marked {q.options[q.answer]!r}, items say {expected!r}")
        if q.options.count(expected) != 1:
            problems.append("correct combination not offered exactly once")
    return problems
