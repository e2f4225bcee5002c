"""The "Review due" quiz: a practice drill of the facts FSRS says are due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, ReviewCard

pytestmark = pytest.mark.django_db


def test_review_due_builds_a_practice_drill_from_due_facts(client, student, shipped_bank, clock):
    now = timezone.now()
    due = ["agreement-lemoa", "agreement-beca", "dialogue-first"]
    for i, slug in enumerate(due):
        ReviewCard.objects.create(user=student, fact_slug=slug, due=now - dt.timedelta(days=3 - i))
    ReviewCard.objects.create(
        user=student, fact_slug="agreement-gsomia", due=now + dt.timedelta(days=2)
    )
    client.force_login(student)
    response = client.post(reverse("quiz:start", args=["review-due"]))
    attempt = Attempt.objects.get(user=student)
    assert response["Location"] == reverse("quiz:attempt", args=[attempt.pk])
    assert attempt.mode == "practice" and attempt.timing == "drill"
    anchors = [q.fact_slugs for q in attempt.questions.order_by("position")]
    assert len(anchors) == 3
    assert [slug in facts for slug, facts in zip(due, anchors, strict=True)] == [True] * 3
    assert all(
        "agreement-gsomia" not in facts or facts[0] != "agreement-gsomia" for facts in anchors
    )


def test_nothing_due_says_when_the_next_review_is(client, student, shipped_bank, clock):
    ReviewCard.objects.create(
        user=student, fact_slug="agreement-lemoa", due=timezone.now() + dt.timedelta(days=4)
    )
    client.force_login(student)
    response = client.post(reverse("quiz:start", args=["review-due"]), follow=True)
    assert (
        "Nothing is due for review right now. The next review is due 6 Mar 2026."
        in response.content.decode()
    )
    assert not Attempt.objects.exists()


def test_the_dashboard_counts_what_is_due_today_and_this_week(client, student, clock):
    now = timezone.now()
    for days in (-2, 0, 3, 6, 9):
        ReviewCard.objects.create(
            user=student, fact_slug=f"f{days}", due=now + dt.timedelta(days=days)
        )
    client.force_login(student)
    html = client.get(reverse("quiz:dashboard")).content.decode()
    assert 'id="due-today">2<' in html
    assert 'id="due-week">4<' in html


def test_renaming_the_review_quiz_in_the_admin_keeps_what_it_does(
    client, student, shipped_bank, clock
):
    """Its kind, not its slug, makes it a review drill that never counts towards standings."""
    from quiz.models import Quiz, QuizStanding

    Quiz.objects.filter(slug="review-due").update(slug="my-reviews", title="My reviews")
    ReviewCard.objects.create(
        user=student, fact_slug="agreement-lemoa", due=timezone.now() - dt.timedelta(days=1)
    )
    client.force_login(student)
    dashboard = client.get(reverse("quiz:dashboard")).content.decode()
    assert reverse("quiz:start", args=["my-reviews"]) in dashboard
    client.post(reverse("quiz:start", args=["my-reviews"]))
    attempt = Attempt.objects.get(user=student)
    assert attempt.title == "Review due" and attempt.mode == "practice"
    assert [q.fact_slugs[0] for q in attempt.questions.all()] == ["agreement-lemoa"]
    attempt.finish(timezone.now())
    assert not QuizStanding.objects.exists()


def test_renaming_quick_ten_keeps_it_the_catalogues_one_click_quiz(client, student):
    from quiz.models import Quiz

    Quiz.objects.filter(slug="quick-10").update(slug="quick-ten")
    client.force_login(student)
    html = client.get(reverse("quiz:catalogue")).content.decode()
    assert reverse("quiz:start", args=["quick-ten"]) in html and "Start Quick 10" in html
