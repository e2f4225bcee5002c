"""The paper cache (content.paper.cached_paper): papers are built once per content version
and served from Django's cache; any edit to the bank changes the version, so a start after
an edit serves the new content."""

from __future__ import annotations

import pytest

from content.models import Citation, Fact, FactKind, QuestionTemplate
from content.paper import build_paper, cached_paper, content_version
from quiz.models import Attempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_cache(settings):
    """The tests' dummy cache never stores anything: these need one that does."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def _facts(paper) -> set[str]:
    return {slug for q in paper for slug in q.facts}


def test_a_cached_paper_is_the_built_one_and_costs_one_query(
    shipped_bank, real_cache, django_assert_num_queries
):
    built = cached_paper(20, seed=3)
    with django_assert_num_queries(1):  # the content version; the paper is in the cache
        again = cached_paper(20, seed=3)
    assert [q.as_export() for q in again] == [q.as_export() for q in built]
    assert [q.as_export() for q in built] == [
        q.as_export() for q in build_paper(shipped_bank, 20, seed=3)
    ]


def test_every_kind_of_content_edit_changes_the_version(shipped_bank):
    seen = {content_version()}

    def changed() -> bool:
        version = content_version()
        new = version not in seen
        seen.add(version)
        return new

    fact = Fact.objects.filter(status=Fact.Status.PUBLISHED).first()
    fact.context += " Edited."
    fact.save()
    assert changed(), "a fact's edit"
    template = QuestionTemplate.objects.first()
    template.stem += " "
    template.save()
    assert changed(), "a template's edit"
    kind = FactKind.objects.first()
    kind.save()
    assert changed(), "a kind's save"
    citation = Citation.objects.first()
    citation.delete()
    assert changed(), "a citation removed"
    assert not changed(), "nothing changed"


def test_an_edited_fact_invalidates_the_cached_paper(shipped_bank, real_cache):
    before = cached_paper(30, seed=5)
    fact = Fact.objects.get(slug=before[0].facts[0])
    fact.status = Fact.Status.DRAFT  # withdrawn: no paper may ask about it any more
    fact.save()
    after = cached_paper(30, seed=5)
    assert fact.slug in _facts(before)
    assert fact.slug not in _facts(after)


def test_a_start_after_an_edit_serves_the_new_content(client, shipped_bank, real_cache, settings):
    settings.PAPER_VARIANTS = 1  # every start draws the same paper, so the cache is hit
    first, second, third = UserFactory(), UserFactory(), UserFactory()

    def start(user) -> Attempt:
        client.force_login(user)
        assert client.post("/quizzes/quick-10/start/").status_code == 302
        return Attempt.objects.get(user=user)

    def facts(attempt: Attempt) -> set[str]:
        return {slug for q in attempt.questions.all() for slug in q.fact_slugs}

    served = facts(start(first))
    assert facts(start(second)) == served  # the same paper, from the cache
    withdrawn = sorted(served)[0]
    fact = Fact.objects.get(slug=withdrawn)
    fact.status = Fact.Status.DRAFT
    fact.save()
    assert withdrawn not in facts(start(third))
