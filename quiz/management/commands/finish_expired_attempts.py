from django.core.management.base import BaseCommand
from django.utils import timezone

from quiz.models import Attempt, Quiz


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
        # Drills: record timed-out questions; a drill whose last question timed out is over.
        # Unserved questions keep waiting for the student (no clock starts here).
        drills = (
            Attempt.objects.in_progress()
            .filter(timing=Quiz.Timing.DRILL, questions__served_at__isnull=False)
            .distinct()
        )
        for attempt in drills.iterator():
            if attempt.settle(now) is None:
                finished += 1
        # Live tests that have closed publish their results: every sitting is folded into
        # its student's progress (held back while the test was open).
        closed = Quiz.objects.filter(
            closes_at__lte=now, attempts__is_live=True, attempts__progress_recorded=False
        ).distinct()
        for quiz in closed:
            quiz.publish_results(now)
        self.stdout.write(f"finished {finished} attempt(s)")
