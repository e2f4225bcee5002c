import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.bank_files import BankFileError, files_to_db
from content.servable import problems_in_db


class Command(BaseCommand):
    help = (
        "Load the YAML content bank into the database (upsert by slug; safe to repeat). "
        "Rows edited in the admin since the last load are kept and reported as conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.CONTENT_BANK_DIR))
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite rows edited in the admin since the last load with the files' "
            "version (their history keeps the edit).",
        )

    def handle(self, *args, **options):
        began = time.perf_counter()
        self.stdout.write(f"loading the content bank from {options['dir']} …")
        self.stdout.flush()
        try:
            report = files_to_db(options["dir"], force=options["force"])
        except BankFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"loaded in {time.perf_counter() - began:.1f} s")
        if not report and not report.conflicts:
            self.stdout.write("Content bank already up to date.")
        for key, count in sorted(report.items()):
            self.stdout.write(f"{key}: {count}")
        # Conflicts are reported, not errors: `make run` carries on with the editors' version.
        for conflict in report.conflicts:
            self.stdout.write(self.style.WARNING(conflict.describe()))
        for note in report.notes:
            self.stdout.write(self.style.WARNING(f"warning: {note}"))
        # Rows in the database that students are not served (see content.servable).
        for problem in problems_in_db():
            self.stdout.write(self.style.WARNING(f"warning: {problem}"))
