from django.core.management.base import BaseCommand
from django.utils import timezone

from quiz.models import Attempt


class Command(BaseCommand):
    help = (
        "Finish and score every attempt past its last deadline: papers whose time is up, "
        "drills whose last question timed out or whose resume window closed."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        finished = 0
        for attempt in Attempt.objects.due(now).iterator():
            attempt.finish(now)
            finished += 1
        # A drill is also over once its last question's deadline passed.
        for attempt in Attempt.objects.in_progress().filter(timing="drill").exclude(
            questions__served_at__isnull=True
        ).iterator():
            if attempt.current_question(now) is None:
                finished += 1
        self.stdout.write(f"finished {finished} attempt(s)")
