"""Item analysis: how each question and template performs across students.

Facility (share correct), discrimination (Kelley: the top 27% of students by overall share
correct minus the bottom 27%), mean time, time-outs, the wrong options chosen most and the
students' error reports, with flags for items that are too easy, too hard or discriminate
the wrong way. Reads the answers
table through its covering and partial indexes; the staff page is ``views/analytics.py``."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Avg, Count, F, Q, Sum

from quiz.models import Answer, ErrorReport, TopicProgress
from quiz.scoring import Outcome

# Thresholds for flagging an item, in one place.
MIN_SERVED = 20  # fewer answers than this: too little evidence to flag
TOO_EASY = 0.90  # facility above this
TOO_HARD = 0.30  # facility below this
GROUP_SHARE = 0.27  # Kelley's upper and lower groups


def student_groups() -> tuple[list[int], list[int]]:
    """Top and bottom 27% of students by their share of correct answers overall."""
    totals = (
        TopicProgress.objects.values("user")
        .annotate(right=Sum("correct"), seen=Sum(F("correct") + F("wrong") + F("unanswered")))
        .filter(seen__gt=0)
        .order_by()
    )
    ranked = sorted(totals, key=lambda r: (r["right"] / r["seen"], r["user"]))
    k = math.ceil(len(ranked) * GROUP_SHARE) if len(ranked) >= 4 else 0
    lower = [r["user"] for r in ranked[:k]]
    upper = [r["user"] for r in ranked[len(ranked) - k :]] if k else []
    return upper, lower


def item_statistics() -> list[dict]:
    upper, lower = student_groups()
    answered = ~Q(outcome=Outcome.UNANSWERED)
    rows = list(
        # Grouping by the question key alone lets the covering index quiz_answer_item answer
        # this without reading the table; the template is the key's first part.
        Answer.objects.values("question_key")
        .annotate(
            served=Count("pk"),
            correct=Count("pk", filter=Q(outcome=Outcome.CORRECT)),
            timeouts=Count("pk", filter=Q(outcome=Outcome.UNANSWERED)),
            mean_ms=Avg("elapsed_ms", filter=answered),
            upper_n=Count("pk", filter=Q(user__in=upper)),
            upper_c=Count("pk", filter=Q(user__in=upper, outcome=Outcome.CORRECT)),
            lower_n=Count("pk", filter=Q(user__in=lower)),
            lower_c=Count("pk", filter=Q(user__in=lower, outcome=Outcome.CORRECT)),
        )
        .order_by("question_key")
    )
    picks: dict[str, Counter] = defaultdict(Counter)
    # The outcome is a literal, not a bound parameter, on purpose: SQLite only uses the
    # partial index quiz_answer_wrong_choice when the query's WHERE clause visibly implies
    # the index's condition (0.04 s instead of 0.7 s over a million answers).
    table = Answer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT question_key, chosen_text, COUNT(*) FROM {table} "
            f"WHERE outcome = '{Outcome.WRONG}' GROUP BY question_key, chosen_text"
        )
        for key, text, n in cursor.fetchall():
            picks[key][text] = n
    reports = ErrorReport.counts_by_key()
    for row in rows:
        row["reports"] = reports.get(row["question_key"], 0)
        row["template_slug"] = row["question_key"].split(":", 1)[0]
        row["facility"] = row["correct"] / row["served"] if row["served"] else None
        if row["upper_n"] and row["lower_n"]:
            row["discrimination"] = (
                row["upper_c"] / row["upper_n"] - row["lower_c"] / row["lower_n"]
            )
        else:
            row["discrimination"] = None
        row["mean_seconds"] = (
            round(row["mean_ms"] / 1000, 1) if row["mean_ms"] is not None else None
        )
        row["distractors"] = picks[row["question_key"]].most_common(3)
        row["flags"] = flags_for(row)
    return rows


def flags_for(row: dict) -> list[str]:
    if row["served"] < MIN_SERVED:
        return []
    flags = []
    if row["facility"] is not None and row["facility"] > TOO_EASY:
        flags.append("too easy")
    if row["facility"] is not None and row["facility"] < TOO_HARD:
        flags.append("too hard")
    if row["discrimination"] is not None and row["discrimination"] < 0:
        flags.append("negative discrimination")
    return flags


def by_template(rows: list[dict]) -> list[dict]:
    out: dict[str, dict] = {}
    for row in rows:
        t = out.setdefault(
            row["template_slug"],
            {
                "template_slug": row["template_slug"],
                "served": 0,
                "correct": 0,
                "timeouts": 0,
                "questions": 0,
                "flagged": 0,
                "ms": 0.0,
                "answered": 0,
            },
        )
        t["served"] += row["served"]
        t["correct"] += row["correct"]
        t["timeouts"] += row["timeouts"]
        t["questions"] += 1
        t["flagged"] += bool(row["flags"])
        answered = row["served"] - row["timeouts"]
        if row["mean_ms"] is not None:
            t["ms"] += row["mean_ms"] * answered
            t["answered"] += answered
    for t in out.values():
        t["facility"] = t["correct"] / t["served"] if t["served"] else None
        t["mean_seconds"] = round(t["ms"] / t["answered"] / 1000, 1) if t["answered"] else None
    return sorted(out.values(), key=lambda t: t["template_slug"])
