"""Benchmark: build a paper from the shipped bank and report wall time and SQL queries.

Run with ``make bench`` (or ``python manage.py bench_paper --questions 100 --repeat 5``).
Not a test: timings on a shared machine are reported, never asserted.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from content.paper import build_paper, cached_paper
from content.servable import bank_from_db


class Command(BaseCommand):
    help = "Build an N-question paper from the bank and report time and SQL queries."

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, default=100)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, **options):
        n = options["questions"]
        timings, queries, sizes = [], [], []
        for run in range(options["repeat"]):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                bank = bank_from_db()
                paper = build_paper(bank, n, seed=run)
                timings.append(time.perf_counter() - start)
            queries.append(len(captured))
            sizes.append(len(paper))
        self.stdout.write(
            f"paper of {n} questions (got {min(sizes)}-{max(sizes)}) on "
            f"{connection.vendor}: median {statistics.median(timings) * 1000:.1f} ms, "
            f"min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms over "
            f"{len(timings)} runs; SQL queries per paper: {sorted(set(queries))}"
        )
        # What a regular quiz start pays: the paper cache (content.paper.cached_paper), in
        # this process's cache backend (locmem here, Redis with REDIS_URL), cold then warm.
        cold, warm, warm_queries = [], [], []
        for run in range(options["repeat"]):
            seed = 10_000 + run  # not built above, so the first call misses
            start = time.perf_counter()
            cached_paper(n, seed)
            cold.append(time.perf_counter() - start)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                cached_paper(n, seed)
                warm.append(time.perf_counter() - start)
            warm_queries.append(len(captured))
        self.stdout.write(
            f"cached paper of {n} questions: miss median {statistics.median(cold) * 1000:.1f} ms, "
            f"hit median {statistics.median(warm) * 1000:.1f} ms (max {max(warm) * 1000:.1f} "
            f"ms); SQL queries per hit: {sorted(set(warm_queries))}"
        )
