"""Item analysis and coverage pages for editors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import QuestionTemplate
from quiz.item_analysis import item_statistics
from quiz.models import Quiz
from tests.factories import FactKindFactory, QuizFactory, UserFactory, make_questions

pytestmark = pytest.mark.django_db


def _take(user, quiz, picks, now):
    from quiz.models import Attempt

    attempt = Attempt.start(user, quiz, now, make_questions(len(picks)), seed=1)
    for position, pick in enumerate(picks, 1):
        q = attempt.current_question(now)
        if pick is None:
            attempt.answer(Attempt.Intent.CLEAR, position, "", now)
            continue
        token = (
            q.correct_token
            if pick == "right"
            else q.tokens()[(q.tokens().index(q.correct_token) + pick) % 4]
        )
        attempt.answer(Attempt.Intent.SAVE, position, token, now)
    attempt.current_question(now)
    return attempt


@pytest.fixture
def answered(clock):
    """Eight students. Strong students get question 1 right and question 2 wrong; weak
    students the opposite: question 2 discriminates negatively."""
    quiz = QuizFactory(question_count=3)
    now = timezone.now()
    for i in range(8):
        strong = i >= 4
        picks = ["right" if strong else 1, 1 if strong else "right", "right" if strong else None]
        _take(UserFactory(username=f"s{i}"), quiz, picks, now)
    return quiz


def test_facility_discrimination_distractors_and_timeouts(answered):
    rows = {r["question_key"]: r for r in item_statistics()}
    q1, q2, q3 = rows["tpl-1:fact-1"], rows["tpl-2:fact-2"], rows["tpl-3:fact-3"]
    assert (q1["served"], q1["correct"], q1["facility"]) == (8, 4, 0.5)
    assert q1["discrimination"] == 1.0 and q2["discrimination"] == -1.0
    assert q3["timeouts"] == 4 and q3["facility"] == 0.5
    assert q1["distractors"] == [("Wrong 1b", 4)]  # one place after the right answer
    assert q1["mean_seconds"] == 0.0


def test_flags_need_enough_answers(answered, settings, monkeypatch):
    from quiz import item_analysis as analytics

    assert all(r["flags"] == [] for r in item_statistics())  # only 8 answers each
    monkeypatch.setattr(analytics, "MIN_SERVED", 5)
    flags = {r["question_key"]: r["flags"] for r in item_statistics()}
    assert flags["tpl-2:fact-2"] == ["negative discrimination"]


def test_the_item_page_is_for_staff_and_links_flagged_rows_to_the_template(
    client, answered, monkeypatch
):
    from quiz import item_analysis as analytics

    monkeypatch.setattr(analytics, "MIN_SERVED", 5)
    QuestionTemplate.objects.create(
        slug="tpl-2",
        kind=FactKindFactory(),
        stem="{name}?",
        answer_field="year_signed",
        explanation="x",
        distractors="nearby",
    )
    client.force_login(UserFactory(username="pupil"))
    assert client.get(reverse("quiz:items")).status_code == 403
    client.force_login(UserFactory(username="ed", is_staff=True))
    html = client.get(reverse("quiz:items")).content.decode()
    template = QuestionTemplate.objects.get(slug="tpl-2")
    assert reverse("admin:content_questiontemplate_change", args=[template.pk]) in html
    assert "negative discrimination (1)" in html
    flagged = client.get(
        reverse("quiz:items"), {"flag": "negative discrimination"}
    ).content.decode()
    assert "tpl-2:fact-2" in flagged and "tpl-1:fact-1" not in flagged


def test_coverage_lists_facts_per_topic_and_unused_facts(client, shipped_bank):
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("quiz:coverage")).content.decode()
    assert "Foundational agreements" in html
    assert "servable facts generate" in html
    assert "Facts no template uses" in html


def test_the_item_page_query_count_is_fixed(client, answered, django_assert_num_queries):
    client.force_login(UserFactory(is_staff=True))
    # session, user, groups, items, distractors, error reports, templates
    with django_assert_num_queries(7):
        assert client.get(reverse("quiz:items")).status_code == 200


def test_the_demo_activity_makes_skill_show_in_scores(db, shipped_bank, settings):
    from django.db.models import Avg
    from django.utils import timezone

    from quiz.item_analysis import student_groups
    from quiz.models import Attempt, ReviewCard, TopicProgress
    from quiz.rebuild import rebuild_progress
    from tests.demo.activity import generate_activity

    now = timezone.now()
    generate_activity(12, 120, heavy_answers=200, seed=3, now=now, log=lambda _: None)
    rebuild_progress()
    # A drill's resume window comes from DRILL_RESUME_HOURS, as for real attempts.
    drill = Attempt.objects.filter(timing="drill").first()
    assert drill.deadline - drill.started_at == settings.DRILL_RESUME_WINDOW
    assert Attempt.objects.filter(status="finished").count() >= 120
    assert ReviewCard.objects.exists() and TopicProgress.objects.exists()
    upper, lower = student_groups()
    top = Attempt.objects.filter(user__in=upper, quiz__slug="quick-10").aggregate(
        a=Avg("correct_count")
    )["a"]
    bottom = Attempt.objects.filter(user__in=lower, quiz__slug="quick-10").aggregate(
        a=Avg("correct_count")
    )["a"]
    assert top > bottom
    assert Quiz.objects.get(slug="review-due")
