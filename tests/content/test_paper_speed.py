"""Memoising the generator must not change a single generated question.

The speed work was checked question for question against the code before it (digests of the
whole export and of 100-question papers, seeds 0-2, identical). Those digests are not kept
as a test: they describe the shipped bank's data and would fail on every content edit. What
stays is the property the memos must keep: a bank that has already built papers builds the
same paper as a fresh one.
"""

from __future__ import annotations

import json

from content.generator import Question
from content.paper import build_paper


def _line(question: Question) -> str:
    return json.dumps(question.as_export(), ensure_ascii=False, sort_keys=True)


def test_a_fresh_bank_gives_the_same_paper_as_a_used_one(shipped_bank):
    """Memos filled by one paper never change the next one."""
    from content.servable import bank_from_db

    first = [_line(q) for q in build_paper(shipped_bank, 100, seed=7)]
    build_paper(shipped_bank, 100, seed=8)
    again = [_line(q) for q in build_paper(shipped_bank, 100, seed=7)]
    fresh = [_line(q) for q in build_paper(bank_from_db(), 100, seed=7)]
    assert first == again == fresh
