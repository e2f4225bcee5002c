"""Developer tooling that never ships: the load test and the dashboard benchmark.

    python -m tests.perf loadtest [--spawn-server] [--no-nginx] …   (make loadtest)
    python -m tests.perf bench_dashboard [--repeat 20]              (make bench)

Each tool is a Django management command class run here, outside ``manage.py``, after
``django.setup()``; ``--help`` lists its options."""

from __future__ import annotations

import importlib
import os
import sys

TOOLS = {"loadtest": "tests.perf.loadtest", "bench_dashboard": "tests.perf.bench_dashboard"}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TOOLS:
        sys.exit(f"usage: python -m tests.perf {{{','.join(TOOLS)}}} [options]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quiz.settings")
    import django

    django.setup()
    command = importlib.import_module(TOOLS[argv[0]]).Command()
    command.run_from_argv(["python -m tests.perf", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
