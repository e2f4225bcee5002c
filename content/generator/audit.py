"""Independent checks of a finished question (``generate`` refuses one that fails them)."""

from __future__ import annotations

from content.generator import cues
from content.generator.bank import Bank
from content.generator.data import (
    Question,
)
from content.generator.wording import (
    count_options,
    mentions,
    subset_label,
)
from content.schema import (
    NEARBY_TYPES,
    PLACEHOLDER_RE,
    FieldSpec,
    canon,
)


def audit(bank: Bank, q: Question) -> list[str]:
    """Independent checks of a finished question; an empty list means it is sound."""
    problems = []
    if len(q.options) != 4:
        problems.append(f"{len(q.options)} options instead of 4")
    if not 0 <= q.answer < len(q.options):
        problems.append("answer index out of range")
    if len({canon(o) for o in q.options}) != len(q.options):
        problems.append("two options read the same")
    for text in [q.stem, q.explanation, *q.options]:
        if PLACEHOLDER_RE.search(text):
            problems.append(f"unfilled placeholder in {text!r}")
    if not q.sources:
        problems.append("no source cited")
    template = bank.templates.get(q.template)
    if q.style == "mcq" and template is not None:
        fact = bank.facts[q.facts[0]]
        spec = bank.kinds[fact.kind].spec(template.answer)
        roots = [_option_root(bank, spec, o) for o in q.options]
        if len(set(roots)) != len(roots):
            problems.append("two options are aliases of the same claim")
        true_roots = bank.truths(fact, spec)
        correct = [i for i, r in enumerate(roots) if r in true_roots]
        if correct != [q.answer]:
            problems.append(f"options true of the fact: {correct}, marked answer {q.answer}")
        if mentions(q.stem, q.options[q.answer]):
            problems.append("the correct answer appears in the stem")
        never = {bank.root(spec, v) for v in fact.not_wrong.get(template.answer, ())}
        offered = [q.options[i] for i, r in enumerate(roots) if r in never and i != q.answer]
        if offered:
            problems.append(f"offers a value the fact lists as not wrong: {offered}")
        numeric = spec.type in NEARBY_TYPES
        problems.extend(cues.mcq_cues(q.stem, q.options, q.answer, numeric=numeric))
    elif q.style in ("statements", "how_many", "pairs"):
        items = q.pairs if q.style == "pairs" else q.statements
        truth = tuple(i + 1 for i, item in enumerate(items) if item["true"])
        n = len(items)
        if q.style == "statements":
            expected = subset_label(truth, n)
        else:
            expected = count_options(n, len(truth), "pair" if q.style == "pairs" else "")[0][
                ([1, 2, 3, 0] if n == 3 else [1, 2, 3, 4]).index(len(truth))
            ]
        if q.options[q.answer] != expected:
            problems.append(f"marked answer {q.options[q.answer]!r} but the items say {expected!r}")
        if sum(o == expected for o in q.options) != 1:
            problems.append("the correct combination is not offered exactly once")
        texts = [canon(item.get("text") or item["left"]) for item in items]
        if len(set(texts)) != n:
            problems.append("two items say the same thing")
    return problems


def _option_root(bank: Bank, spec: FieldSpec, shown: str) -> str:
    """Map a displayed option back to its alias class: through every display of a value or
    alias seen in the domain, else through its own text."""
    known = bank._display_roots[spec.domain].get(canon(shown))
    return known if known is not None else bank._classes[spec.domain].find(canon(shown))
