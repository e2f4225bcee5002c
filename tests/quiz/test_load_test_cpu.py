"""The load test's CPU accounting (issue 12, item 2): what it reads from /proc is the CPU
the processes really spent, and a process that comes or goes between two readings neither
adds its history nor takes it away."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.perf.cpu import cpu_delta, machine_busy_seconds, tree_cpu_seconds

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

BURN = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass"


def test_a_process_trees_cpu_includes_its_childrens_work():
    # A parent that idles while its child burns 0.6 s of CPU, reaps it and says so: the
    # tree is still charged for the child (as gunicorn's master is for a replaced worker).
    before_machine = machine_busy_seconds()
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys, time\n"
            f"subprocess.Popen([sys.executable, '-c', {BURN!r}]).wait()\n"
            "print('reaped', flush=True)\ntime.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout.readline().strip() == "reaped"
        assert tree_cpu_seconds(parent.pid) >= 0.6
        assert machine_busy_seconds() - before_machine >= 0.5
    finally:
        parent.kill()
        parent.wait()


def test_readings_by_pid_ignore_processes_that_came_or_went():
    before = {101: 5.0, 102: 3.0}  # 102 exits between the readings, 103 starts
    after = {101: 6.5, 103: 0.25}
    assert cpu_delta(before, after) == pytest.approx(1.75)
    assert cpu_delta(2.0, 2.5) == pytest.approx(0.5)
