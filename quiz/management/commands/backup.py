"""``manage.py backup``: a consistent backup of the configured database (see quiz.backup)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quiz.backup import BackupError, Target, backup, prune


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's online backup) into BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Where to write (default BACKUP_DIR).")
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="Keep the newest N backups in the directory, delete older ones (0: keep all).",
        )

    def handle(self, *args, **o):
        directory = Path(o["dir"] or settings.BACKUP_DIR)
        try:
            target = Target.from_settings(settings.DATABASES["default"])
            path = backup(target, directory, timezone.now())
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        removed = prune(directory, target.vendor, o["keep"]) if o["keep"] else []
        self.stdout.write(
            f"backed up the {target.vendor} database to {path} ({path.stat().st_size:,} bytes)"
            + (f"; removed {len(removed)} older backup(s)" if removed else "")
        )
