import json

from django.core.management.base import BaseCommand

from content.generator import Question, generate_all
from content.generator.report import skip_class
from content.servable import bank_from_db


class Command(BaseCommand):
    help = (
        "Print every question the published bank generates as JSON Lines "
        "(pairs that cannot yield a sound question are reported on stderr)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        bank = bank_from_db()
        skipped = 0
        for item in generate_all(bank, options["seed"]):
            if isinstance(item, Question):
                self.stdout.write(json.dumps(item.as_export(), ensure_ascii=False))
            else:
                skipped += 1
                if options["verbosity"] > 1:
                    self.stderr.write(
                        f"skipped {item.template}:{item.fact} ({skip_class(item.reason)}): "
                        f"{item.reason}"
                    )
        if options["verbosity"] > 0:
            self.stderr.write(f"{skipped} template/fact pairs skipped (use -v 2 for reasons)")
