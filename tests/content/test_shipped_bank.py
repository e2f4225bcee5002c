"""The shipped content bank: the counts the product promises, and every question sound."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.core.management import call_command

from content.generator import Question, generate_all
from content.models import Conflict, Fact, QuestionTemplate, Source
from tests.content.oracle import judge


@pytest.fixture
def questions(shipped_bank):
    return [q for q in generate_all(shipped_bank, seed=0) if isinstance(q, Question)]


def test_the_bank_has_enough_cited_published_facts_and_templates(shipped_bank):
    servable = Fact.objects.servable()
    assert servable.count() >= 100
    assert not servable.filter(citations__isnull=True).exists()
    assert QuestionTemplate.objects.filter(active=True).count() >= 25


def test_the_bank_yields_300_questions_over_6_topics_with_a_fifth_in_upsc_formats(questions):
    ids = {q.id for q in questions}
    assert len(ids) == len(questions) >= 300
    assert len({q.topic for q in questions}) >= 6
    composite = sum(q.style in ("statements", "how_many", "pairs") for q in questions)
    assert composite / len(questions) >= 0.2
    assert {q.style for q in questions} == {"mcq", "statements", "how_many", "pairs"}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_shipped_question_is_sound(shipped_bank, seed):
    unsound = {}
    for item in generate_all(shipped_bank, seed=seed):
        if isinstance(item, Question):
            problems = judge(shipped_bank, item)
            if problems:
                unsound[item.id] = problems
    assert unsound == {}


def test_disputed_facts_and_facts_under_open_conflicts_are_never_served(shipped_bank, questions):
    hidden = set(
        Fact.objects.exclude(pk__in=Fact.objects.servable().values("pk")).values_list(
            "slug", flat=True
        )
    )
    assert hidden.isdisjoint(shipped_bank.facts)
    used = {slug for q in questions for slug in q.facts}
    assert hidden.isdisjoint(used)
    for fact in Fact.objects.filter(status=Fact.Status.DISPUTED):
        assert fact.conflicts.exists(), f"{fact.slug} is disputed but no conflict explains why"


def test_the_conflict_register_records_each_side(shipped_bank):
    conflicts = Conflict.objects.prefetch_related("claims")
    assert conflicts.count() >= 5
    # A document that contradicts itself or the record is one claim; most pit sources
    # against each other, and the register as a whole draws on every document.
    assert {c.source_id for conflict in conflicts for c in conflict.claims.all()} == set(
        Source.objects.values_list("pk", flat=True)
    )
    for conflict in conflicts:
        assert conflict.claims.count() >= 1, conflict.slug
        if conflict.status == Conflict.Status.RESOLVED:
            assert conflict.accepted and conflict.reason, conflict.slug


def test_export_prints_one_json_object_per_question_with_the_agreed_keys(shipped_bank, capsys):
    call_command("export_questions", seed=0, verbosity=0)
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) >= 300
    base = {"id", "kind", "stem", "options", "answer", "explanation", "sources", "topic", "facts"}
    kinds = Counter()
    for record in records:
        extra = {"statements"} if record["kind"] in ("statements", "how_many") else set()
        extra |= {"pairs"} if record["kind"] == "pairs" else set()
        assert set(record) == base | extra, record["id"]
        assert len(record["options"]) == 4 and 0 <= record["answer"] < 4
        assert record["sources"] and record["facts"]
        kinds[record["kind"]] += 1
        if record["kind"] == "pairs":
            assert all(set(p) == {"left", "right", "true"} for p in record["pairs"])
        if "statements" in record:
            assert all(set(s) == {"text", "true"} for s in record["statements"])
    assert len({r["id"] for r in records}) == len(records)
    assert set(kinds) == {"mcq", "statements", "how_many", "pairs"}


def test_export_is_deterministic_for_a_seed(shipped_bank, capsys):
    call_command("export_questions", seed=5, verbosity=0)
    first = capsys.readouterr().out
    call_command("export_questions", seed=5, verbosity=0)
    assert capsys.readouterr().out == first
    call_command("export_questions", seed=6, verbosity=0)
    assert capsys.readouterr().out != first
