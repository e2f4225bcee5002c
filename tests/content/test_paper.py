"""Building a paper costs the same number of queries whatever its length."""

from __future__ import annotations

import pytest

from content.paper import build_paper
from content.servable import bank_from_db
from tests.content.oracle import judge
from tests.factories import FactFactory, FactKindFactory, QuestionTemplateFactory


def _paper(n):
    return build_paper(bank_from_db(), n, seed=1)


@pytest.mark.parametrize("n", [10, 100])
def test_a_paper_costs_six_queries_whatever_its_length(shipped_bank, django_assert_num_queries, n):
    with django_assert_num_queries(6):
        paper = _paper(n)
    assert len(paper) == n
    assert len({q.id for q in paper}) == n


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_bank(django_assert_num_queries):
    kind = FactKindFactory()
    QuestionTemplateFactory(kind=kind)
    FactFactory.create_batch(5, kind=kind)
    with django_assert_num_queries(6):
        small = _paper(5)
    FactFactory.create_batch(40, kind=kind)
    with django_assert_num_queries(6):
        large = _paper(40)
    assert len(small) == 5 and len(large) == 40


def test_a_paper_spreads_over_facts_and_respects_filters(shipped_bank):
    paper = build_paper(shipped_bank, 40, seed=3)
    anchors = [q.facts[0] for q in paper if q.style == "mcq"]
    assert len(anchors) == len(set(anchors))
    assert all(judge(shipped_bank, q) == [] for q in paper)
    only = build_paper(shipped_bank, 10, seed=3, topics=["trade-economy"], styles=["mcq"])
    assert only and {q.topic for q in only} == {"trade-economy"}
    assert {q.style for q in only} == {"mcq"}
