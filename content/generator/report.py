"""The editors' report: per template, the questions it yields, the template × fact pairs it
skips and why, and how a knowledge-free test-wise candidate (``solver``) does on its
questions. ``manage.py bank_report`` prints it; the admin's bank report page shows it.

Every skip reason falls in one class that tells an editor what to do about it (``skip_class``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from content.generator.bank import Bank
from content.generator.data import Question
from content.generator.questions import generate_all

REWORD = "cue — reword"
ADD_FACTS = "too few comparable decoys — add facts"
ADD_VALUE = "missing value — add it if the fact has one"
AMBIGUOUS = "ambiguous subject — facts sharing it have different answers"
OTHER = "other — read the reason"

# In the order they are tried: a reason naming a cue is a cue whatever else it says.
_CLASSES = (
    (
        REWORD,
        re.compile(
            r"^(stem echo|acronym initials|odd one out|longest option|convergence):"
            r"|answer is not unique|does not single out|the correct answer appears in the stem"
            r"|two items would name the same subject"
        ),
    ),
    (
        ADD_FACTS,
        re.compile(
            r"^only \d+ (comparable \([^)]*\) )?wrong value\(s\)"
            r"|^only \d+ other usable fact\(s\)|^only \d+ of the items can be made false"
            r"|^no evenly spaced run of clearly wrong values"
        ),
    ),
    (ADD_VALUE, re.compile(r"has no value for|^fact \S+ has no \w+, which wrong")),
    # The same person held several offices (or two sorts of thing share an acronym): an
    # item naming only the subject cannot say which is meant. No rewording of the stem
    # helps; the item itself would need to name the occasion.
    (AMBIGUOUS, re.compile(r"^ambiguous subject:")),
)


def skip_class(reason: str) -> str:
    """What an editor can do about a skip: reword the template (a cue), add facts (too few
    comparable wrong values), add a value (the fact lacks one), nothing short of a new item
    design (an ambiguous subject), or read the reason."""
    for name, pattern in _CLASSES:
        if pattern.search(reason):
            return name
    return OTHER


def reason_pattern(reason: str) -> str:
    """A skip reason with the fact slugs taken out, so equal reasons group together."""
    return re.sub(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", "…", reason)


@dataclass
class SkipGroup:
    reason: str  # with the fact slugs taken out (``reason_pattern``)
    facts: list[str] = field(default_factory=list)

    @property
    def skip_class(self) -> str:
        return skip_class(self.reason)

    @property
    def is_cue(self) -> bool:
        return self.skip_class == REWORD


@dataclass
class TemplateReport:
    slug: str
    style: str
    kind: str
    questions: list[int] = field(default_factory=list)  # per seed
    solved: list[int] = field(default_factory=list)  # per seed, by the solver
    skips: list[SkipGroup] = field(default_factory=list)  # most common first (first seed)

    @property
    def skipped(self) -> int:
        return sum(len(group.facts) for group in self.skips)

    @property
    def scores(self) -> list[float | None]:
        """The solver's share of right answers per seed (None for a seed with no question)."""
        return [h / n if n else None for h, n in zip(self.solved, self.questions, strict=True)]

    def class_counts(self) -> dict[str, int]:
        counts: Counter = Counter()
        for group in self.skips:
            counts[group.skip_class] += len(group.facts)
        return dict(counts)


@dataclass
class BankReport:
    seeds: list[int]
    templates: list[TemplateReport]

    @property
    def questions(self) -> int:
        return sum(sum(t.questions) for t in self.templates)

    @property
    def score(self) -> float | None:
        total = self.questions
        return sum(sum(t.solved) for t in self.templates) / total if total else None

    def class_counts(self) -> dict[str, int]:
        counts: Counter = Counter()
        for template in self.templates:
            counts.update(template.class_counts())
        return dict(counts)


def build_report(
    bank: Bank, seeds: Iterable[int] = (0, 1, 2), pick: Callable[[dict], int] | None = None
) -> BankReport:
    """Generate every pair under each seed; skips are grouped for the first seed only (a
    skip does not depend on the seed's draws often enough to repeat it). Without ``pick``
    (the solver), nothing is solved."""
    seeds = list(seeds)
    made: dict[str, list[int]] = defaultdict(list)
    right: dict[str, list[int]] = defaultdict(list)
    groups: dict[str, dict[str, SkipGroup]] = defaultdict(dict)
    for seed in seeds:
        count: Counter = Counter()
        hits: Counter = Counter()
        for item in generate_all(bank, seed):
            if isinstance(item, Question):
                count[item.template] += 1
                if pick is not None:
                    hits[item.template] += pick(item.as_export()) == item.answer
            elif seed == seeds[0]:
                reason = reason_pattern(item.reason)
                group = groups[item.template].setdefault(reason, SkipGroup(reason))
                group.facts.append(item.fact)
        for slug in bank.templates:
            made[slug].append(count[slug])
            right[slug].append(hits[slug])
    templates = []
    for slug, template in bank.templates.items():
        # Most common first; equal counts in the order they were first met.
        skips = sorted(groups[slug].values(), key=lambda g: -len(g.facts))
        templates.append(
            TemplateReport(slug, template.style, template.kind, made[slug], right[slug], skips)
        )
    return BankReport(seeds, templates)
