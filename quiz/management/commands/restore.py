"""``manage.py restore FILE``: replace the database's contents with a backup (see
quiz.backup). Stop the app servers first: their open connections would see a database
changing under them."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quiz.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = "Restore a backup written by `manage.py backup` (replaces the database's contents)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--database-url",
            default=None,
            help="Restore into this database instead of the configured one (e.g. a fresh one "
            "to check a backup).",
        )
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **o):
        try:
            target = (
                Target.from_url(o["database_url"])
                if o["database_url"]
                else Target.from_settings(settings.DATABASES["default"])
            )
            if o["interactive"]:
                answer = input(
                    f"This replaces everything in the {target.vendor} database {target.name} "
                    f"with {o['file']}. Type 'yes' to continue: "
                )
                if answer.strip() != "yes":
                    raise CommandError("Restore cancelled.")
            restore(Path(o["file"]), target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {o['file']} into the {target.vendor} database {target.name}")
