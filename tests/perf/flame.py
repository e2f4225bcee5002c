"""Summarise a py-spy profile of the app servers: which functions the answer path spends
its time in, inclusive and self, as shares of the samples inside one view.

    py-spy record --subprocesses --format raw -o /tmp/answer.txt -p $(cat /tmp/loadtest-gunicorn-8078.pid)
    python -m tests.perf.flame /tmp/answer.txt --within "answer (quiz/views/attempts.py" --top 25
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

FRAME_RE = re.compile(r"^(?P<func>[^ ]+) \((?P<file>[^:)]+)(?::\d+)?\)$")


def _short(frame: str) -> str:
    match = FRAME_RE.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/wt-12/", "/work/main/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match['func']} ({path})"


# Leaf frames where a thread waits on PostgreSQL (py-spy samples them like running code).
WAITS = ("Connection.wait (", "BaseConnection._exec_command (", "_execute_send (")


def summarise(path: str, within: str, top: int, cpu: bool = False) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    with open(path) as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            frames = stack.split(";")
            if cpu and any(w in frames[-1] for w in WAITS):
                continue
            start = next((i for i, f in enumerate(frames) if within in f), None)
            if start is None:
                continue
            n = int(count)
            total += n
            inside = [_short(f) for f in frames[start:]]
            for name in set(inside):
                inclusive[name] += n
            own[inside[-1]] += n
    if not total:
        return f"no samples inside {within!r}"
    what = "on-CPU samples (database waits left out)" if cpu else "samples"
    out = [f"{total} {what} inside {within!r}", "", "inclusive (share of the view's samples):"]
    out += [f"  {n / total:6.1%}  {name}" for name, n in inclusive.most_common(top)]
    out += ["", "self (where the CPU actually was):"]
    out += [f"  {n / total:6.1%}  {name}" for name, n in own.most_common(top)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", help="py-spy's --format raw output")
    parser.add_argument("--within", default="answer (quiz/views/attempts.py")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cpu", action="store_true", help="Leave out database waits.")
    o = parser.parse_args()
    print(summarise(o.profile, o.within, o.top, o.cpu))


if __name__ == "__main__":
    main()
