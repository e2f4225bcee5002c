"""The editors' report: per template, the questions it yields, what it skips and why, and how
a knowledge-free test-wise candidate does on its questions."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from django.core.management.base import BaseCommand

from content.generator import Question, generate_all
from content.servable import bank_from_db


def reason_class(reason: str) -> str:
    """A skip reason with the fact slugs taken out, so equal reasons group together."""
    return re.sub(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", "…", reason)


def _solver():
    """The test suite's solver, when the checkout has it (it is not shipped)."""
    try:
        from tests.content.solver import pick
    except ImportError:
        return None
    return pick


class Command(BaseCommand):
    help = (
        "Per template: questions yielded, skips grouped by reason (with example facts), and "
        "the test-wise solver's score on its questions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, action="append", dest="seeds")

    def handle(self, *args, **options):
        seeds = options["seeds"] or [0, 1, 2]
        bank = bank_from_db()
        pick = _solver()
        made: dict[str, list[int]] = defaultdict(list)
        right: dict[str, list[int]] = defaultdict(list)
        skips: dict[str, Counter] = defaultdict(Counter)
        examples: dict[tuple[str, str], list[str]] = defaultdict(list)
        for seed in seeds:
            count: Counter = Counter()
            hits: Counter = Counter()
            for item in generate_all(bank, seed):
                if isinstance(item, Question):
                    count[item.template] += 1
                    if pick is not None:
                        hits[item.template] += pick(item.as_export()) == item.answer
                elif seed == seeds[0]:
                    reason = reason_class(item.reason)
                    skips[item.template][reason] += 1
                    examples[item.template, reason].append(item.fact)
            for slug in bank.templates:
                made[slug].append(count[slug])
                right[slug].append(hits[slug])
        out = self.stdout.write
        out(
            f"Seeds {', '.join(map(str, seeds))}; solver: "
            + ("tests/content/solver.py" if pick else "not available (no tests/ checkout)")
        )
        total = sum(sum(v) for v in made.values())
        total_right = sum(sum(v) for v in right.values())
        for slug, template in bank.templates.items():
            questions = made[slug]
            score = "—"
            if pick is not None and sum(questions):
                score = ", ".join(
                    f"{h / n:.0%}" if n else "—"
                    for h, n in zip(right[slug], questions, strict=True)
                )
            out(
                f"\n{slug} ({template.style}, {template.kind}): "
                f"{questions[0]} question(s), {sum(skips[slug].values())} skipped; "
                f"solver {score}"
            )
            for reason, n in skips[slug].most_common():
                facts = examples[slug, reason]
                shown = ", ".join(facts[:3]) + (" …" if len(facts) > 3 else "")
                out(f"  skipped {n}× {reason}  [{shown}]")
        if pick is not None and total:
            out(
                f"\nAll templates: {total} questions over {len(seeds)} seed(s); "
                f"solver {total_right / total:.1%} (chance 25%)."
            )
