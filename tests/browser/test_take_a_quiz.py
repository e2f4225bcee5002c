"""A student signs in, takes a short drill by click and by keyboard, lets one question time
out on its own, and sees the right counts on the results page; a click lost to the network
is retried. Every test fails on a Content-Security-Policy violation or a script error."""

from __future__ import annotations

import pytest

from content.bank_files import files_to_db
from quiz.models import Answer, Attempt, Quiz
from tests.browser.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _question(attempt: Attempt, position: int):
    return attempt.questions.get(position=position)


def _start_drill(live_server, page, settings, seconds: int = 5) -> Attempt:
    files_to_db(settings.CONTENT_BANK_DIR)
    UserFactory(username="kavya")
    Quiz.objects.create(
        slug="browser-drill",
        title="Browser drill",
        question_count=3,
        timing="drill",
        seconds_per_question=seconds,
        mode="exam",
        published=True,
        styles=["mcq"],
    )

    log_in(page, live_server.url, "kavya")

    page.locator("article", has_text="Browser drill").get_by_role("button", name="Start").click()
    page.wait_for_selector("text=Question 1 of 3")
    return Attempt.objects.get(user__username="kavya")


def test_a_student_takes_a_drill_in_the_browser(live_server, page, settings, console):
    attempt = _start_drill(live_server, page, settings)

    # Question 1: click the right option.
    q1 = _question(attempt, 1)
    page.click(f'button[value="{q1.correct_token}"]')

    # Question 2 (swapped in by htmx): answer a wrong option with the keyboard.
    page.wait_for_selector("text=Question 2 of 3")
    q2 = _question(attempt, 2)
    wrong_index = next(i for i, t in enumerate(q2.tokens()) if t != q2.correct_token)
    page.keyboard.press(str(wrong_index + 1))

    # Question 3: do nothing; the countdown runs out and the page moves on by itself.
    page.wait_for_selector("text=Question 3 of 3")
    assert page.locator(".countdown").is_visible()
    page.wait_for_url("**/results/", timeout=15_000)

    assert page.locator("#count-correct").inner_text() == "1"
    assert page.locator("#count-wrong").inner_text() == "1"
    assert page.locator("#count-unanswered").inner_text() == "1"
    attempt.refresh_from_db()
    assert attempt.status == "finished"
    assert [
        q.answer.outcome for q in attempt.questions.select_related("answer").order_by("position")
    ] == [
        "correct",
        "wrong",
        "unanswered",
    ]


def test_a_click_lost_to_the_network_is_retried_and_recorded(live_server, page, settings, console):
    attempt = _start_drill(live_server, page, settings, seconds=30)
    answers = []

    def flaky(route):
        answers.append(route.request.post_data)
        if len(answers) == 1:
            route.abort("internetdisconnected")  # the first answer never reaches the server
        else:
            route.continue_()

    page.route("**/answer/", flaky)
    q1 = _question(attempt, 1)
    page.click(f'button[value="{q1.correct_token}"]')
    status = page.locator("#net-status")
    status.get_by_text("Connection lost, retrying…").wait_for()
    assert status.get_attribute("aria-live") and status.get_attribute("role") == "status"

    page.wait_for_selector("text=Question 2 of 3")
    assert status.inner_text() == ""  # the retry got through: nothing left to say
    assert len(answers) == 2 and answers[0] == answers[1]  # the same request, sent again
    answer = _question(attempt, 1).answer
    assert (answer.chosen_token, answer.outcome) == (q1.correct_token, "correct")


def test_a_click_that_never_gets_through_says_so_after_a_bounded_number_of_tries(
    live_server, page, settings, console
):
    attempt = _start_drill(live_server, page, settings, seconds=30)
    tries = []

    def down(route):
        tries.append(route.request.url)
        route.abort("internetdisconnected")

    page.route("**/answer/", down)
    page.click(f'button[value="{_question(attempt, 1).correct_token}"]')
    page.get_by_text("Could not reach the server").wait_for(timeout=15_000)
    assert len(tries) == 4  # the click and three retries, then it stops
    assert page.locator('#answer-form button[name="choice"]').first.is_enabled()
    assert not Answer.objects.filter(question__attempt=attempt).exists()
