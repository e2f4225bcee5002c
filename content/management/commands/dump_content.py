from django.conf import settings
from django.core.management.base import BaseCommand

from content.bank_files import db_to_files


class Command(BaseCommand):
    help = "Write the database's content bank back to YAML (the format load_content reads)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.CONTENT_BANK_DIR))

    def handle(self, *args, **options):
        for path in db_to_files(options["dir"]):
            self.stdout.write(f"wrote {path}")
