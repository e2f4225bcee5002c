from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.bank import bank_problems
from content.bank_io import BankError, load_bank


class Command(BaseCommand):
    help = "Load the YAML content bank into the database (upsert by slug; safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.CONTENT_BANK_DIR))

    def handle(self, *args, **options):
        try:
            stats = load_bank(options["dir"])
        except BankError as exc:
            raise CommandError(str(exc)) from None
        if not stats:
            self.stdout.write("Content bank already up to date.")
        for key, count in sorted(stats.items()):
            self.stdout.write(f"{key}: {count}")
        # Rows in the database that students are not served (see content.bank).
        for problem in bank_problems():
            self.stdout.write(self.style.WARNING(f"warning: {problem}"))
