from django.conf import settings
from django.core.management.base import BaseCommand

from content.bank_io import dump_bank


class Command(BaseCommand):
    help = "Write the database's content bank back to YAML (the format load_content reads)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.CONTENT_BANK_DIR))

    def handle(self, *args, **options):
        for path in dump_bank(options["dir"]):
            self.stdout.write(f"wrote {path}")
