"""Benchmark: render a student's dashboard and the item-analysis page in-process and report
wall time and SQL queries. Reported, never asserted (see README "Performance").

    python -m tests.perf bench_dashboard --repeat 20      (make bench)

Prepare data first, e.g.:
    make demo DEMO_ARGS="--students 1000 --attempts 42200 --heavy-answers 50000"
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quiz.models import Answer


class Command(BaseCommand):
    help = "Time the dashboard of a heavy student and the item-analysis page."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="demoheavy")
        parser.add_argument("--repeat", type=int, default=15)

    def _measure(self, client, url, repeat):
        timings, queries = [], set()
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            queries.add(len(captured))
        timings.sort()
        return {
            "median": statistics.median(timings),
            "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
            "max": timings[-1],
            "queries": sorted(queries),
        }

    def handle(self, *args, **options):
        User = get_user_model()
        student = User.objects.filter(username=options["user"]).first()
        if student is None:
            raise CommandError(
                f"No user {options['user']!r}: run make demo with --heavy-answers first."
            )
        staff = User.objects.filter(is_staff=True).first()
        if staff is None:
            raise CommandError("No staff user: run manage.py create_demo_accounts first.")
        total = Answer.objects.count()
        own = Answer.objects.filter(user=student).count()
        students = Answer.objects.values("user").distinct().count()
        client = Client()
        client.force_login(student)
        dash = self._measure(client, reverse("quiz:dashboard"), options["repeat"])
        client.force_login(staff)
        items = self._measure(client, reverse("quiz:items"), max(3, options["repeat"] // 3))
        self.stdout.write(
            f"{connection.vendor}: {students} students, {total} answers; {student.username} has {own}.\n"
            f"dashboard: median {dash['median']:.1f} ms, p95 {dash['p95']:.1f} ms, max {dash['max']:.1f} ms, "
            f"queries {dash['queries']}\n"
            f"item analysis: median {items['median']:.0f} ms, max {items['max']:.0f} ms, queries {items['queries']}"
        )
