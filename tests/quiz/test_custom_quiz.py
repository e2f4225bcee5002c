"""Build your own quiz: topics, formats, number of questions and timing, remembered for
next time, started through the same machinery as every catalogue quiz."""

from __future__ import annotations

import pytest
from django.utils import timezone

from quiz.models import Attempt, Quiz, QuizChoice, QuizStanding
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _build(client, **data):
    data = {"question_count": "6", "timing": "drill"} | data
    return client.post("/quizzes/build/", data)


def test_the_form_offers_the_topics_that_have_questions_and_the_four_formats(
    client, student, shipped_bank
):
    client.force_login(student)
    html = client.get("/quizzes/build/").content.decode()
    assert 'value="foundational-agreements"' in html
    for label in ("Direct questions", "Which statements are correct", "How many pairs"):
        assert label in html
    assert "19 seconds per question" in html and "Untimed practice" in html


def test_a_drill_draws_only_from_the_chosen_topics_and_formats(client, student, shipped_bank):
    client.force_login(student)
    response = _build(
        client, topics=["foundational-agreements", "defence-industry"], styles=["mcq"]
    )
    attempt = Attempt.objects.get(user=student)
    assert response["Location"] == f"/attempts/{attempt.pk}/"
    assert (attempt.timing, attempt.mode, attempt.seconds_per_question) == ("drill", "exam", 19)
    assert attempt.question_total == 6
    questions = list(attempt.questions.all())
    assert {q.topic_slug for q in questions} <= {"foundational-agreements", "defence-industry"}
    assert {q.style for q in questions} == {"mcq"}
    assert attempt.quiz.kind == Quiz.Kind.CUSTOM and not attempt.quiz.published


def test_a_paper_gets_a_clock_of_1_2_minutes_a_question(client, student, shipped_bank, clock):
    client.force_login(student)
    _build(client, question_count="10", timing="paper")
    attempt = Attempt.objects.get(user=student)
    assert (attempt.timing, attempt.mode) == ("paper", "exam")
    assert attempt.paper_seconds == 12 * 60
    # The clock starts when the student has read the instructions and is ready.
    client.post(f"/attempts/{attempt.pk}/begin/")
    attempt.refresh_from_db()
    assert (attempt.deadline - attempt.began_at).total_seconds() == 12 * 60


def test_untimed_practice_shows_the_answer_after_each_question(
    client, student, shipped_bank, clock
):
    client.force_login(student)
    _build(client, question_count="3", timing="untimed")
    attempt = Attempt.objects.get(user=student)
    assert (attempt.timing, attempt.mode) == ("paper", "practice")
    assert (attempt.deadline - attempt.started_at).total_seconds() == 24 * 3600


def test_untimed_practice_shows_no_ticking_clock(client, student, shipped_bank, clock):
    client.force_login(student)
    _build(client, question_count="3", timing="untimed")
    attempt = Attempt.objects.get(user=student)
    instructions = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert "Untimed (open for a day)" in instructions
    client.post(f"/attempts/{attempt.pk}/begin/")
    page = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert "Untimed practice: no clock" in page
    assert 'role="timer"' not in page and "data-clock" not in page


def test_a_timed_paper_of_ones_own_keeps_its_clock(client, student, shipped_bank, clock):
    client.force_login(student)
    _build(client, question_count="3", timing="paper")
    attempt = Attempt.objects.get(user=student)
    client.post(f"/attempts/{attempt.pk}/begin/")
    page = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert 'role="timer"' in page and "Untimed practice" not in page


def test_feedback_can_be_asked_for_in_a_drill(client, student, shipped_bank):
    client.force_login(student)
    _build(client, question_count="3", feedback="on")
    assert Attempt.objects.get(user=student).mode == "practice"


def test_the_last_choice_is_remembered_on_the_form_and_in_the_catalogue(
    client, student, shipped_bank
):
    client.force_login(student)
    _build(client, topics=["defence-industry"], styles=["statements"], question_count="4")
    choice = QuizChoice.objects.get(user=student)
    assert (choice.topics, choice.styles, choice.question_count) == (
        ["defence-industry"],
        ["statements"],
        4,
    )
    html = client.get("/quizzes/build/").content.decode()
    assert 'value="defence-industry" id="id_topics_' in html
    assert html.count("checked") == 3  # the topic, the format, the timing
    assert 'name="question_count" id="id_question_count" min="1" max="50"' in html
    assert 'value="4"' in html
    catalogue = client.get("/quizzes/").content.decode()
    assert "Start it again" in catalogue and "Your quiz: Defence" in catalogue


def test_start_it_again_from_the_catalogue_sends_the_remembered_choice(
    client, student, shipped_bank
):
    client.force_login(student)
    _build(client, topics=["defence-industry"], question_count="2")
    Attempt.objects.get(user=student).finish(timezone.now())
    catalogue = client.get("/quizzes/").content.decode()
    form = catalogue[catalogue.index('action="/quizzes/build/"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="topics" value="defence-industry">' in form
    assert '<input type="hidden" name="question_count" value="2">' in form


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question_count": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"question_count": "51"}, "Ensure this value is less than or equal to 50."),
        ({"question_count": "ten"}, "Enter a whole number."),
        ({"timing": "forever"}, "Select a valid choice."),
        ({"topics": ["no-such-topic"]}, "Select a valid choice."),
        ({"styles": ["essay"]}, "Select a valid choice."),
    ],
)
def test_bad_choices_are_refused_with_a_message_and_start_nothing(
    client, student, shipped_bank, data, message
):
    client.force_login(student)
    response = _build(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_choice_no_question_matches_says_what_to_change(client, student, db):
    client.force_login(student)  # no bank loaded: nothing can match
    response = _build(client)
    assert response.status_code == 400
    assert "No questions match these topics and formats." in response.content.decode()


def test_a_running_own_quiz_is_resumed_not_replaced(client, student, shipped_bank):
    client.force_login(student)
    _build(client, question_count="3")
    first = Attempt.objects.get(user=student)
    response = _build(client, question_count="5", follow=False)
    assert response["Location"] == f"/attempts/{first.pk}/"
    assert Attempt.objects.filter(user=student).count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "Your own quiz from earlier is still running" in html


def test_own_quizzes_are_private_and_rank_nobody(client, student, shipped_bank):
    client.force_login(student)
    _build(client, question_count="2")
    attempt = Attempt.objects.get(user=student)
    attempt.finish(timezone.now())
    assert not QuizStanding.objects.filter(quiz=attempt.quiz).exists()
    other = UserFactory()
    client.force_login(other)
    assert client.post(f"/quizzes/{attempt.quiz.slug}/start/").status_code == 404
    assert attempt.quiz.title not in client.get("/quizzes/").content.decode()
    assert client.get(f"/attempts/{attempt.pk}/").status_code == 404


def test_the_build_page_needs_a_login_and_takes_get_or_post(client):
    assert client.get("/quizzes/build/")["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.put("/quizzes/build/").status_code == 405
