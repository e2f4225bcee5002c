"""The catalogue of quizzes and starting an attempt."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Quiz
from tests.factories import QuizFactory, UserFactory, make_questions

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_published_quizzes_with_the_students_best(client, student, clock):
    quiz = QuizFactory(title="Agreements drill", question_count=2)
    QuizFactory(title="Hidden draft", published=False)
    for picks in (("right", "wrong"), ("right", "right")):
        attempt = Attempt.start(student, quiz, timezone.now(), make_questions(2), seed=1)
        for position, pick in enumerate(picks, 1):
            q = attempt.current_question(timezone.now())
            attempt.answer(
                Attempt.Intent.SAVE,
                position,
                q.correct_token
                if pick == "right"
                else next(t for t in q.tokens() if t != q.correct_token),
                timezone.now(),
            )
        attempt.finish(timezone.now())
    other = UserFactory()
    Attempt.start(other, quiz, timezone.now(), make_questions(2), seed=1).finish(timezone.now())
    client.force_login(student)
    html = client.get(reverse("quiz:catalogue")).content.decode()
    assert "Agreements drill" in html and "Hidden draft" not in html
    i = html.index("Agreements drill")
    assert "Your best: <strong>4.00</strong>" in html[i : i + 800], html[i : i + 800]
    assert "Start Quick 10" in html
    assert "Prelims-style mock paper" in html


def test_the_catalogue_costs_a_fixed_number_of_queries(client, student, django_assert_num_queries):
    QuizFactory.create_batch(8)
    client.force_login(student)
    # session, user, quizzes, topics, in progress, quick 10, own-quiz choice, bookmarks
    with django_assert_num_queries(8):
        client.get(reverse("quiz:catalogue"))


def test_quick_ten_starts_a_ten_question_practice_drill_from_the_bank(
    client, student, shipped_bank
):
    client.force_login(student)
    response = client.post(reverse("quiz:start", args=["quick-10"]))
    attempt = Attempt.objects.get(user=student)
    assert response["Location"] == reverse("quiz:attempt", args=[attempt.pk])
    assert attempt.questions.count() == 10
    assert (
        attempt.mode == "practice"
        and attempt.timing == "drill"
        and attempt.seconds_per_question == 19
    )
    assert len({q.question_key for q in attempt.questions.all()}) == 10


def test_a_quiz_draws_only_its_topics_and_styles(client, student, shipped_bank):
    from content.models import Topic

    quiz = QuizFactory(question_count=5, styles=["pairs"])
    quiz.topics.set(
        Topic.objects.filter(slug__in=["foundational-agreements", "people-institutions"])
    )
    client.force_login(student)
    client.post(reverse("quiz:start", args=[quiz.slug]))
    attempt = Attempt.objects.get(user=student)
    questions = list(attempt.questions.all())
    assert len(questions) == 5
    assert {q.style for q in questions} == {"pairs"}
    assert {q.topic_slug for q in questions} <= {"foundational-agreements", "people-institutions"}


def test_starting_an_empty_quiz_explains_why(client, student):
    quiz = QuizFactory()
    client.force_login(student)
    response = client.post(reverse("quiz:start", args=[quiz.slug]), follow=True)
    assert "No questions are available for this quiz yet." in response.content.decode()
    assert not Attempt.objects.exists()


def test_unpublished_quizzes_cannot_be_started(client, student):
    quiz = QuizFactory(published=False)
    client.force_login(student)
    assert client.post(reverse("quiz:start", args=[quiz.slug])).status_code == 404


def test_starting_needs_post_and_a_login(client, student):
    assert client.post(reverse("quiz:start", args=["quick-10"]))["Location"].startswith(
        "/accounts/login/"
    )
    client.force_login(student)
    assert client.get(reverse("quiz:start", args=["quick-10"])).status_code == 405
    assert not Quiz.objects.get(slug="quick-10").attempts.exists()
