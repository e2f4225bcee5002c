"""Realistic demo activity for charts, item statistics and the dashboard benchmark.

    python -m tests.demo --students 50 --attempts 500            (make demo)
    python -m tests.demo --students 1000 --attempts 42200 --heavy-answers 50000

Creates students with a hidden skill who take finished attempts (``tests.demo.activity``),
then rebuilds progress and spaced-review cards from their answers."""

from __future__ import annotations

import argparse
import os
import sys
import time


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.demo", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument(
        "--heavy-answers",
        type=int,
        default=0,
        help="Also create 'demoheavy' with about this many answers.",
    )
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    if options.students < 1 or options.attempts < 0:
        parser.error("--students must be at least 1 and --attempts not negative.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quiz.settings")
    import django

    django.setup()
    from django.utils import timezone

    from quiz.rebuild import rebuild_progress
    from tests.demo.activity import generate_activity

    began = time.perf_counter()
    counts = generate_activity(
        options.students,
        options.attempts,
        heavy_answers=options.heavy_answers,
        seed=options.seed,
        now=timezone.now(),
    )
    written = time.perf_counter()
    print(f"  rebuilding progress and review cards from {counts['answers']} answers")
    rebuild_progress()
    print(
        f"{counts['students']} students, {counts['attempts']} attempts, {counts['answers']} answers "
        f"in {written - began:.0f} s; progress rebuilt in {time.perf_counter() - written:.0f} s"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
