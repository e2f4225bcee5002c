"""How questions read: patterns filled from a fact, the "as of" prefix, and the labels of
the statements / how-many / pairs options (UPSC's wording)."""

from __future__ import annotations

import re

from content.generator.bank import Bank
from content.generator.data import (
    CannotGenerate,
    FactData,
    KindData,
    TemplateData,
)
from content.schema import (
    PLACEHOLDER_RE,
    placeholders,
)

COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


def render(pattern: str, fact: FactData, kind: KindData, override: dict | None = None) -> str:
    override = override or {}

    def sub(match: re.Match) -> str:
        name = match.group(1)
        if name in override:
            return kind.spec(name).display(override[name])
        if name not in fact.values:
            raise CannotGenerate(f"fact {fact.slug} has no value for {{{name}}}")
        return kind.spec(name).display(fact.values[name])

    text = PLACEHOLDER_RE.sub(sub, pattern)
    # A value ending in an abbreviation ("Washington, D.C.") before the pattern's own full
    # stop would read "D.C.."; keep one stop (an ellipsis is left alone).
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    return text[:1].upper() + text[1:]


def as_of_label(bank: Bank, template: TemplateData, fact: FactData) -> str:
    """The fact's "as of" label if this question shows a value that can change: any field
    marked ``dated`` (or any field at all, when the kind marks none)."""
    if not fact.as_of_label:
        return ""
    dated = {s.name for s in bank.kinds[fact.kind].fields if s.dated}
    if not dated:
        return fact.as_of_label
    shown = set(placeholders(template.stem)) | set(placeholders(template.statement))
    shown |= {template.answer, template.pair_left}
    return fact.as_of_label if shown & dated else ""


def as_of_prefix(label: str, text: str) -> str:
    if not label:
        return text
    first, _, rest = text.partition(" ")
    # Lower-case an ordinary opening word ("Which", "Among"), never a name or acronym.
    if first in _OPENERS:
        text = first.lower() + " " + rest
    return f"As of {label}, {text}"


_OPENERS = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "Which",
        "Who",
        "What",
        "Where",
        "When",
        "Whom",
        "How",
        "By",
        "On",
        "Among",
        "Regarding",
        "According",
        "Consider",
        "Under",
        "During",
        "From",
        "For",
        "Name",
    ]
)


def as_of_note(label: str) -> str:
    return f" (This was the position as of {label}.)" if label else ""


def mentions(haystack: str, needle: str) -> bool:
    needle = needle.strip()
    if not needle:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack, re.IGNORECASE) is not None


def subset_label(members: tuple[int, ...], n: int) -> str:
    """UPSC wording for a set of statement numbers (1-based)."""
    if n == 2:
        return {(): "Neither 1 nor 2", (1,): "1 only", (2,): "2 only", (1, 2): "Both 1 and 2"}[
            members
        ]
    if len(members) == n:
        return ", ".join(map(str, members[:-1])) + f" and {members[-1]}"
    if len(members) == 1:
        return f"{members[0]} only"
    return ", ".join(map(str, members[:-1])) + f" and {members[-1]} only"


def statement_options(
    n: int, truth: list[bool], subsets: list[tuple[int, ...]]
) -> tuple[list[str], int]:
    correct = tuple(i + 1 for i, t in enumerate(truth) if t)
    if correct not in subsets:
        raise CannotGenerate("the items' truth is not among the options")
    return [subset_label(s, n) for s in subsets], subsets.index(correct)


def count_options(n: int, count: int, noun: str) -> tuple[list[str], int]:
    if noun:
        labels = {k: f"Only {COUNT_WORDS[k]} {noun}" + ("s" if k > 1 else "") for k in range(1, n)}
        labels[n] = f"All {COUNT_WORDS[n]} {noun}s"
        labels[0] = f"None of the {noun}s"
    else:
        labels = {k: f"Only {COUNT_WORDS[k]}" for k in range(1, n)}
        labels[n] = f"All {COUNT_WORDS[n]}"
        labels[0] = "None"
    order = COUNT_ORDER[n]
    return [labels[k] for k in order], order.index(count)


# How-many and pairs options, in display order, by number of items.
COUNT_ORDER = {3: [1, 2, 3, 0], 4: [1, 2, 3, 4]}


def subsets_for_slot(n: int, slot: int, rng) -> tuple[tuple[int, ...], list[tuple[int, ...]]]:
    """For a "which statements are correct" question over ``n`` items: the correct subset
    and four options (in display order) with the correct one at index ``slot``.

    With three statements the options are a balanced set — each statement in exactly two
    of the four options, two single statements and two pairs — so counting how often a
    statement appears among the options ("convergence") tells nothing, and the key is any
    of the four with equal chance."""
    if n == 2:
        options = [(1,), (2,), (1, 2), ()]
        return options[slot], options
    left_out = rng.randrange(1, 4)  # the statement in no single-statement option
    others = [i for i in (1, 2, 3) if i != left_out]
    options = [(others[0],), (others[1],), *sorted(tuple(sorted((o, left_out))) for o in others)]
    options.sort(key=lambda s: (len(s), s))
    return options[slot], options
