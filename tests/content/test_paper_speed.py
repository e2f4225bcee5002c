"""Speed work on the generator must not change a single generated question.

``paper_golden.json`` holds digests of the whole export (every template × fact, with the
skip reasons) and of a 100-question paper, for seeds 0–2, as generated from the shipped
bank by the code before the paper-speed work (609992c). When the bank's DATA changes on
purpose, regenerate it from the current code *and* check the change is the data's alone:

    DATABASE_URL=sqlite:////tmp/golden.sqlite3 python manage.py migrate -v0
    DATABASE_URL=sqlite:////tmp/golden.sqlite3 python manage.py load_content
    DATABASE_URL=sqlite:////tmp/golden.sqlite3 python -m tests.content.test_paper_speed
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from content.generator import Question, generate_all
from content.paper import build_paper

GOLDEN = Path(__file__).with_name("paper_golden.json")
SEEDS = (0, 1, 2)


def _line(question: Question) -> str:
    return json.dumps(question.as_export(), ensure_ascii=False, sort_keys=True)


def digests(bank) -> dict:
    out: dict = {}
    for seed in SEEDS:
        lines = []
        for item in generate_all(bank, seed):
            if isinstance(item, Question):
                lines.append(_line(item))
            else:
                lines.append(
                    json.dumps(["skip", item.template, item.fact, item.reason], ensure_ascii=False)
                )
        out[f"export:{seed}"] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
        out[f"export_n:{seed}"] = len(lines)
        paper = build_paper(bank, 100, seed=seed)
        out[f"paper:{seed}"] = hashlib.sha256(
            "\n".join(_line(q) for q in paper).encode()
        ).hexdigest()
    return out


def test_export_and_papers_are_identical_to_the_golden_output(shipped_bank):
    assert digests(shipped_bank) == json.loads(GOLDEN.read_text())


def test_a_fresh_bank_gives_the_same_paper_as_a_used_one(shipped_bank):
    """Memos filled by one paper never change the next one."""
    from content.bank import load_bank_from_db

    first = [_line(q) for q in build_paper(shipped_bank, 100, seed=7)]
    build_paper(shipped_bank, 100, seed=8)
    again = [_line(q) for q in build_paper(shipped_bank, 100, seed=7)]
    fresh = [_line(q) for q in build_paper(load_bank_from_db(), 100, seed=7)]
    assert first == again == fresh


if __name__ == "__main__":  # regenerate the golden digests from the loaded database
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quiz.settings")
    django.setup()
    from content.bank import load_bank_from_db

    GOLDEN.write_text(json.dumps(digests(load_bank_from_db()), indent=1) + "\n")
