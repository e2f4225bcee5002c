"""CPU seconds spent by a process tree, from /proc (Linux): the load test divides the app
servers' CPU by the requests they served, a figure steadier than latency on a shared
machine."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) may hold spaces; the fields after it are plain.
    return text[text.rindex(")") + 2 :].split()


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids += [int(p) for p in task.read_text().split()]
        except FileNotFoundError:
            continue
    return kids


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and every live descendant, plus what its exited
    children used (cutime/cstime: gunicorn's master reaps the workers it replaces, so a
    recycled worker's CPU still counts)."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    # After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
    total = sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS
    for child in _children(pid):
        total += _own_and_descendants(child)
    return total


def _own_and_descendants(pid: int) -> float:
    fields = _stat(pid)
    if fields is None:
        return 0.0
    total = sum(int(fields[i]) for i in (11, 12)) / TICKS
    return total + sum(_own_and_descendants(c) for c in _children(pid))


# Every process that serves a request on this one machine, by its command name (the app
# servers are found by their process tree instead: they run as "python" or "gunicorn").
SERVICES = {"postgres": "PostgreSQL", "nginx": "nginx", "redis-server": "Redis"}


def services_cpu_seconds() -> dict[str, dict[int, float]]:
    """User + system CPU used so far by each live process of each of ``SERVICES``, by pid:
    compare two readings pid by pid (``cpu_delta``), so a PostgreSQL backend that exits (or
    a restart) in between drops out instead of taking its whole history with it."""
    totals: dict[str, dict[int, float]] = {name: {} for name in SERVICES.values()}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            text = (proc / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        name = SERVICES.get(text[text.index("(") + 1 : text.rindex(")")])
        if name is not None:
            fields = text[text.rindex(")") + 2 :].split()
            totals[name][int(proc.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    return totals


def cpu_delta(before: float | dict[int, float], after: float | dict[int, float]) -> float:
    """CPU seconds between two readings: of one figure, or summed pid by pid (a process
    that started in between counts from zero, one that exited counts nothing)."""
    if isinstance(after, dict):
        return sum(max(0.0, v - before.get(pid, 0.0)) for pid, v in after.items())
    return after - before


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent on anything but idling since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICKS
