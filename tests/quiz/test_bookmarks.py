"""Bookmarks: star a question in the review or after answering it in practice, list them,
and practise them as a drill regenerated from the published bank."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.utils import timezone

from content.models import Fact
from quiz.models import Attempt, Bookmark, Quiz
from tests.factories import QuizFactory, UserFactory, make_questions, start_attempt

pytestmark = pytest.mark.django_db


def _finished(user, n=3, **quiz_fields):
    attempt = start_attempt(user, timezone.now(), n=n, **quiz_fields)
    attempt.finish(timezone.now())
    return attempt


def test_a_star_in_the_review_bookmarks_the_question_and_a_second_press_removes_it(client, student):
    attempt = _finished(student)
    client.force_login(student)
    url = f"/attempts/{attempt.pk}/questions/2/bookmark/"
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/attempts/{attempt.pk}/review/#q2"
    mark = Bookmark.objects.get(user=student)
    assert (mark.question_key, mark.template_slug, mark.fact_slugs) == (
        "tpl-2:fact-2",
        "tpl-2",
        ["fact-2"],
    )
    assert mark.stem == "Question number 2?"
    client.post(url)
    assert not Bookmark.objects.filter(user=student).exists()


def test_htmx_gets_the_button_back_pressed(client, student):
    attempt = _finished(student)
    client.force_login(student)
    url = f"/attempts/{attempt.pk}/questions/1/bookmark/"
    html = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert html.startswith("<form") and 'aria-pressed="true"' in html and "★" in html
    html = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-pressed="false"' in html and "☆" in html


def test_a_bookmark_is_the_question_not_the_attempt_so_it_shows_in_later_attempts(client, student):
    first = _finished(student)
    client.force_login(student)
    client.post(f"/attempts/{first.pk}/questions/3/bookmark/")
    later = Attempt.start(student, first.quiz, timezone.now(), make_questions(3), seed=9)
    later.finish(timezone.now())
    html = client.get(f"/attempts/{later.pk}/review/").content.decode()
    assert html.count('aria-pressed="true"') == 1
    # Starring it again from the later attempt unstars the one bookmark.
    client.post(f"/attempts/{later.pk}/questions/3/bookmark/")
    assert Bookmark.objects.count() == 0


def test_the_same_question_cannot_be_bookmarked_twice(student):
    attempt = _finished(student)
    question = attempt.questions.get(position=1)
    Bookmark.toggle(student, question, timezone.now())
    with pytest.raises(IntegrityError, match="quiz_bookmark_once|UNIQUE"):
        Bookmark.objects.create(
            user=student,
            question_key=question.question_key,
            template_slug="x",
            topic_slug="x",
            style="mcq",
            stem="x",
            created_at=timezone.now(),
        )


def test_an_exam_in_progress_cannot_be_starred(client, student):
    attempt = start_attempt(student, timezone.now(), n=3, timing="paper", paper_minutes=10)
    attempt.answer(
        Attempt.Intent.SAVE, 1, attempt.questions.get(position=1).tokens()[0], timezone.now()
    )
    client.force_login(student)
    response = client.post(f"/attempts/{attempt.pk}/questions/1/bookmark/")
    assert response.status_code == 400
    assert "once its answer is shown" in response.content.decode()
    assert not Bookmark.objects.exists()


def test_practice_allows_a_star_once_the_question_is_answered(client, student):
    attempt = start_attempt(student, timezone.now(), n=3, mode="practice")
    client.force_login(student)
    url = f"/attempts/{attempt.pk}/questions/1/bookmark/"
    assert client.post(url).status_code == 400  # not answered yet: its key is not shown
    question = attempt.current_question(timezone.now())
    attempt.answer(Attempt.Intent.SAVE, 1, question.tokens()[0], timezone.now())
    # The feedback page offers the star, and pressing it comes back to the feedback.
    feedback = client.get(f"/attempts/{attempt.pk}/?feedback=1").content.decode()
    assert f'action="/attempts/{attempt.pk}/questions/1/bookmark/"' in feedback
    response = client.post(url)
    assert response["Location"] == f"/attempts/{attempt.pk}/?feedback=1"
    assert Bookmark.objects.filter(user=student, question_key="tpl-1:fact-1").exists()


def test_someone_elses_attempt_is_a_404_anonymous_goes_to_login_and_get_is_405(client, student):
    attempt = _finished(student)
    url = f"/attempts/{attempt.pk}/questions/1/bookmark/"
    assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    client.force_login(student)
    assert client.get(url).status_code == 405
    assert client.post(f"/attempts/{attempt.pk}/questions/99/bookmark/").status_code == 404


def test_the_bookmarks_page_says_what_to_do_when_empty(client, student):
    client.force_login(student)
    html = client.get("/bookmarks/").content.decode()
    assert "No bookmarks yet" in html
    assert "Star a question" in html and 'href="/quizzes/"' in html


@pytest.mark.parametrize("n", [1, 6])
def test_the_bookmarks_page_costs_the_same_queries_however_many(
    client, student, django_assert_num_queries, n
):
    attempt = _finished(student, n=n)
    for question in attempt.questions.all():
        Bookmark.toggle(student, question, timezone.now())
    client.force_login(student)
    with django_assert_num_queries(4):  # session, user, bookmarks, topic names
        html = client.get("/bookmarks/").content.decode()
    assert html.count("Question number") == n


def test_a_bookmark_can_be_removed_from_the_list_but_not_someone_elses(client, student):
    attempt = _finished(student)
    Bookmark.toggle(student, attempt.questions.first(), timezone.now())
    mark_pk = Bookmark.objects.get().pk
    client.force_login(UserFactory())
    client.post(f"/bookmarks/{mark_pk}/remove/")
    assert Bookmark.objects.filter(pk=mark_pk).exists()
    client.force_login(student)
    assert client.post(f"/bookmarks/{mark_pk}/remove/")["Location"] == "/bookmarks/"
    assert not Bookmark.objects.filter(pk=mark_pk).exists()


def _bank_attempt(client, user, shipped_bank, n=4) -> Attempt:
    quiz = QuizFactory(slug="bank-quiz", question_count=n, styles=["mcq"])
    client.force_login(user)
    client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get(user=user, quiz=quiz)
    attempt.finish(timezone.now())
    return attempt


def test_practising_bookmarks_regenerates_each_starred_question_from_the_bank(
    client, student, shipped_bank
):
    attempt = _bank_attempt(client, student, shipped_bank)
    starred = list(attempt.questions.order_by("position")[:3])
    for q in starred:
        client.post(f"/attempts/{attempt.pk}/questions/{q.position}/bookmark/")
    response = client.post("/bookmarks/practise/")
    drill = Attempt.objects.get(user=student, quiz__kind=Quiz.Kind.BOOKMARKS)
    assert response["Location"] == f"/attempts/{drill.pk}/"
    assert (drill.mode, drill.timing, drill.title) == ("practice", "drill", "My bookmarks")
    asked = {(q.template_slug, q.fact_slugs[0]) for q in drill.questions.all()}
    assert asked == {(q.template_slug, q.fact_slugs[0]) for q in starred}
    # Pressing it again resumes the drill instead of starting another.
    client.post("/bookmarks/practise/")
    assert Attempt.objects.filter(quiz__kind=Quiz.Kind.BOOKMARKS).count() == 1


def test_a_bookmark_whose_fact_was_withdrawn_is_left_out_of_the_drill(
    client, student, shipped_bank
):
    attempt = _bank_attempt(client, student, shipped_bank, n=2)
    first, second = attempt.questions.order_by("position")
    for q in (first, second):
        client.post(f"/attempts/{attempt.pk}/questions/{q.position}/bookmark/")
    Fact.objects.filter(slug=first.fact_slugs[0]).update(status=Fact.Status.DISPUTED)
    client.post("/bookmarks/practise/")
    drill = Attempt.objects.get(user=student, quiz__kind=Quiz.Kind.BOOKMARKS)
    assert [q.fact_slugs[0] for q in drill.questions.all()] == [second.fact_slugs[0]]


def test_practising_with_no_bookmarks_says_how_to_get_some(client, student):
    client.force_login(student)
    html = client.post("/bookmarks/practise/", follow=True).content.decode()
    assert "You have no bookmarks yet" in html
    assert not Attempt.objects.exists()


def test_the_bookmarks_drill_counts_towards_no_standing(client, student, shipped_bank):
    from quiz.models import QuizStanding

    attempt = _bank_attempt(client, student, shipped_bank, n=2)
    client.post(f"/attempts/{attempt.pk}/questions/1/bookmark/")
    client.post("/bookmarks/practise/")
    drill = Attempt.objects.get(user=student, quiz__kind=Quiz.Kind.BOOKMARKS)
    drill.finish(timezone.now())
    assert not QuizStanding.objects.filter(quiz=drill.quiz).exists()
