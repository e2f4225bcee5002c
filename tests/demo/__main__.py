import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Generate realistic demo activity: N students with a hidden skill take M finished "
        "attempts (factory-boy), then rebuild progress and spaced-review cards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=50)
        parser.add_argument("--attempts", type=int, default=500)
        parser.add_argument(
            "--heavy-answers",
            type=int,
            default=0,
            help="Also create 'demoheavy' with about this many answers.",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        try:
            from quiz.demo import generate_activity
        except ImportError as exc:  # factory-boy is a dev dependency
            raise CommandError(f"Install the dev extras (make install): {exc}") from None
        from quiz.rebuild import rebuild_progress

        if options["students"] < 1 or options["attempts"] < 0:
            raise CommandError("--students must be at least 1 and --attempts not negative.")
        began = time.perf_counter()
        counts = generate_activity(
            options["students"],
            options["attempts"],
            heavy_answers=options["heavy_answers"],
            seed=options["seed"],
            now=timezone.now(),
            log=self.stdout.write,
        )
        written = time.perf_counter()
        rebuild_progress()
        self.stdout.write(
            f"{counts['students']} students, {counts['attempts']} attempts, {counts['answers']} answers "
            f"in {written - began:.0f} s; progress rebuilt in {time.perf_counter() - written:.0f} s"
        )
