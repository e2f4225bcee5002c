from django.core.management.base import BaseCommand
from django.utils import timezone

from quiz.errors import PaperLocked
from quiz.models import Quiz
from quiz.starting import prepare_live_paper


class Command(BaseCommand):
    help = "Generate the paper of every scheduled live mock test that has none yet (run before its check-in opens, LIVE_CHECK_IN before the test)."

    def handle(self, *args, **options):
        now = timezone.now()
        for quiz in Quiz.objects.filter(opens_at__gt=now, live_paper__isnull=True):
            try:
                n = prepare_live_paper(quiz)
            except PaperLocked as exc:
                self.stderr.write(f"{quiz.slug}: {exc}")
                continue
            self.stdout.write(
                f"{quiz.slug}: {n} questions frozen; opens {quiz.opens_at:%Y-%m-%d %H:%M}"
            )
