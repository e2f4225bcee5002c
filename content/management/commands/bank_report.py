"""The editors' report: per template, the questions it yields, what it skips and why (with
what an editor can do about it), and how a knowledge-free test-wise candidate does on its
questions. The admin's bank report page shows the same (``content.generator.report``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from content.generator import solver
from content.generator.report import build_report
from content.servable import bank_from_db


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


class Command(BaseCommand):
    help = (
        "Per template: questions yielded, skips grouped by reason and by what an editor can do "
        "(with example facts), and the test-wise solver's score on its questions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, action="append", dest="seeds")

    def handle(self, *args, **options):
        seeds = options["seeds"] or [0, 1, 2]
        report = build_report(bank_from_db(), seeds, solver.pick)
        out = self.stdout.write
        out(f"Seeds {', '.join(map(str, seeds))}; solver: content/generator/solver.py")
        for template in report.templates:
            score = "—"
            if sum(template.questions):
                score = ", ".join(_percent(s) for s in template.scores)
            out(
                f"\n{template.slug} ({template.style}, {template.kind}): "
                f"{template.questions[0]} question(s), {template.skipped} skipped; "
                f"solver {score}"
            )
            for group in template.skips:
                facts = group.facts
                shown = ", ".join(facts[:3]) + (" …" if len(facts) > 3 else "")
                out(f"  skipped {len(facts)}× ({group.skip_class}) {group.reason}  [{shown}]")
        if report.questions:
            out(
                f"\nAll templates: {report.questions} questions over {len(seeds)} seed(s); "
                f"solver {report.score:.1%} (chance 25%)."
            )
        counts = report.class_counts()
        if counts:
            out(
                f"Skips (seed {seeds[0]}) by what to do: "
                + "; ".join(f"{name}: {n}" for name, n in counts.items())
            )
