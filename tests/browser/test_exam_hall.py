"""The exam hall in real Chromium: a paper's instructions, "I am ready to begin", the five
palette states and the NTA buttons, the submit summary, the results with the marking
breakdown; a drill's Skip and End now with screen-reader focus on each new question; the
paper on a 390×844 phone with its clock sticky, and the clock speaking only at one minute
left and at the end (which submits without asking).

Screenshots of the paper, the summary and the results go to $SCREENSHOT_DIR when it is set
(the README's tour uses tests/browser/screenshots/)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from content.bank_files import files_to_db
from quiz.models import Attempt, AttemptQuestion, Quiz
from tests.browser.conftest import log_in
from tests.factories import UserFactory, make_questions

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def _shot(page, name: str, full_page: bool = True) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def _login_and_start(live_server, page, settings, title: str, **quiz_fields) -> Attempt:
    files_to_db(settings.CONTENT_BANK_DIR)
    UserFactory(username="kavya")
    Quiz.objects.create(
        slug="hall", title=title, published=True, styles=["mcq"], mode="exam", **quiz_fields
    )
    log_in(page, live_server.url, "kavya")
    heading = page.get_by_role("heading", name=title, exact=True)
    page.locator("article").filter(has=heading).get_by_role("button", name="Start").click()
    return Attempt.objects.get(user__username="kavya")


def _pick(page, attempt, position, right=True):
    q = attempt.questions.get(position=position)
    token = q.correct_token if right else next(t for t in q.tokens() if t != q.correct_token)
    page.check(f'input[value="{token}"]')


def _cell(page, position):
    return page.locator(f'.palette-grid a[aria-label^="Question {position}:"]')


def test_a_paper_as_the_exam_hall_runs_it(live_server, browser, settings):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    attempt = _login_and_start(
        live_server,
        page,
        settings,
        "Exam hall paper",
        question_count=5,
        timing="paper",
        paper_minutes=10,
    )

    # Instructions, and no clock yet.
    page.get_by_role("heading", name="Exam hall paper: instructions").wait_for()
    assert page.locator("#fact-questions").inner_text() == "5"
    assert page.locator("#fact-time").inner_text() == "10 minutes"
    assert page.get_by_text("−2/3 marks").is_visible()
    for state in AttemptQuestion.State:
        assert page.locator(".palette-legend").get_by_text(state.label, exact=True).count() == 1
    assert page.locator('[role="timer"]').count() == 0
    attempt.refresh_from_db()
    assert attempt.began_at is None
    _shot(page, "instructions")
    page.get_by_role("button", name="I am ready to begin").click()
    page.wait_for_url("**/?q=1")
    attempt.refresh_from_db()
    assert attempt.began_at is not None
    assert page.locator('[role="timer"] .secs').inner_text().endswith("left")

    # Q1: Save & Mark for Review (picked with the keyboard: not saved until a button says).
    q1 = attempt.questions.get(position=1)
    page.keyboard.press(str(q1.tokens().index(q1.correct_token) + 1))
    expect(page.locator("#unsaved")).to_contain_text("Not saved yet")
    page.get_by_role("button", name="Save & Mark for Review").click()
    page.wait_for_url("**/?q=2")
    _pick(page, attempt, 2, right=False)
    page.get_by_role("button", name="Mark for Review & Next").click()
    page.wait_for_url("**/?q=3")
    # Q3: Save & Next with nothing chosen: stays, with a message beside the options.
    page.get_by_role("button", name="Save & Next").click()
    page.get_by_role("alert").get_by_text("Choose one of the options").wait_for()
    assert page.get_by_role("heading", name="Question 3 of 5").is_visible()
    _pick(page, attempt, 3)
    page.get_by_role("button", name="Save & Next").click()
    page.wait_for_url("**/?q=4")
    # Q4: opened, left unanswered. Q5: never opened.
    assert (
        _cell(page, 1).get_attribute("aria-label") == "Question 1: answered and marked for review"
    )
    assert (
        _cell(page, 2).get_attribute("aria-label") == "Question 2: answered and marked for review"
    )
    assert _cell(page, 3).get_attribute("aria-label") == "Question 3: answered"
    assert _cell(page, 4).get_attribute("aria-label") == "Question 4: not answered"
    assert _cell(page, 5).get_attribute("aria-label") == "Question 5: not visited"
    _shot(page, "paper")

    # The submit summary, then confirm.
    page.get_by_role("link", name="Submit paper").click()
    page.get_by_role("heading", name="Submit the paper?").wait_for()
    counts = {
        s: page.locator(f"#summary-{s}").inner_text()
        for s in ("answered", "not_answered", "marked", "answered_marked", "not_visited")
    }
    assert counts == {
        "answered": "1",
        "not_answered": "1",
        "marked": "0",
        "answered_marked": "2",
        "not_visited": "1",
    }
    # Each state's questions are a click away; answered ones need no second look.
    expect(page.locator("#summary-not_visited + td.goto a")).to_have_text("5")
    _shot(page, "submit-summary")
    page.get_by_role("button", name="Yes, submit the paper").click()
    page.wait_for_url("**/results/")

    # Two right (one of them marked), one wrong (marked, and still evaluated).
    assert page.locator("#count-correct").inner_text() == "2"
    assert page.locator("#count-wrong").inner_text() == "1"
    assert page.locator("#marks-gained").inner_text() == "+4.00"
    assert page.locator("#marks-lost").inner_text() == "−0.67"
    assert page.locator("#marks-without-wrong").inner_text() == "4.00"
    _shot(page, "results")
    assert not errors, errors
    context.close()


def test_a_drill_skip_and_end_now_with_focus_on_each_new_question(
    live_server, page, settings, console
):
    attempt = _login_and_start(
        live_server,
        page,
        settings,
        "Drill",
        question_count=4,
        timing="drill",
        seconds_per_question=30,
    )
    expect(page.locator("#q-heading")).to_have_text("Question 1 of 4")
    page.get_by_role("button", name="Skip").click()
    expect(page.locator("#q-heading")).to_have_text("Question 2 of 4")
    # Screen readers: the live region names the question and focus is on its stem.
    expect(page.locator("#drill-announce")).to_have_text("Question 2 of 4")
    expect(page.locator("#stem-2")).to_be_focused()
    q2 = attempt.questions.get(position=2)
    page.click(f'button[value="{q2.correct_token}"]')
    expect(page.locator("#q-heading")).to_have_text("Question 3 of 4")
    expect(page.locator("#stem-3")).to_be_focused()
    expect(page.locator("#drill-announce")).to_have_text("Question 3 of 4")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="End now").click()
    page.wait_for_url("**/results/")
    assert page.locator("#count-correct").inner_text() == "1"
    assert page.locator("#count-unanswered").inner_text() == "3"


def test_a_drill_question_warns_a_screen_reader_five_seconds_before_it_times_out(
    live_server, page, settings, console
):
    _login_and_start(
        live_server,
        page,
        settings,
        "Short drill",
        question_count=3,
        timing="drill",
        seconds_per_question=8,
    )
    announce = page.locator("#drill-announce")
    expect(page.locator("#q-heading")).to_have_text("Question 1 of 3")
    expect(announce).to_have_text("")  # eight seconds left: nothing said yet
    expect(announce).to_have_text("Five seconds left.", timeout=6_000)
    # The question times out by itself and the next one is named.
    expect(announce).to_have_text("Question 2 of 3", timeout=10_000)
    expect(page.locator("#stem-2")).to_be_focused()


def test_on_a_phone_the_clock_stays_in_view_and_speaks_only_twice(
    live_server, page, settings, console
):
    attempt = _login_and_start(
        live_server,
        page,
        settings,
        "Phone paper",
        question_count=3,
        timing="paper",
        paper_minutes=10,
    )
    page.get_by_role("button", name="I am ready to begin").click()
    page.wait_for_url("**/?q=1")
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") > 100
    box = page.locator(".exam-clock").bounding_box()
    assert box is not None and -1 <= box["y"] <= 1  # stuck to the top while scrolled
    assert page.locator(".exam-clock").is_visible()
    announce = page.locator("#clock-announce")
    assert announce.get_attribute("aria-live") == "polite"
    assert page.locator(".exam-clock .secs").get_attribute("aria-hidden") == "true"
    expect(announce).to_have_text("")  # nothing said with ten minutes left
    _shot(page, "paper-phone", full_page=False)  # the screen as scrolled: clock on top

    # With 62 s left the clock says "One minute left." once it crosses the minute.
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=now + dt.timedelta(seconds=62))
    page.reload()
    expect(announce).to_have_text("One minute left.", timeout=8_000)
    page.wait_for_timeout(2_000)
    expect(announce).to_have_text("One minute left.")  # not a new message every second
    # Three seconds from the end: time runs out and the paper is submitted without asking.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + dt.timedelta(seconds=3))
    page.reload()
    page.wait_for_url("**/results/", timeout=15_000)
    attempt.refresh_from_db()
    assert attempt.status == "finished"


def test_a_checked_in_student_waits_in_the_lobby_and_begins_at_the_opening(
    live_server, page, console
):
    UserFactory(username="kavya")
    now = timezone.now()
    quiz = Quiz.objects.create(
        slug="national",
        title="National mock",
        published=True,
        question_count=3,
        seconds_per_question=30,
        opens_at=now + dt.timedelta(minutes=10),
        closes_at=now + dt.timedelta(hours=1),
    )
    quiz.freeze_paper(make_questions(3))
    log_in(page, live_server.url, "kavya")
    # The test opens a few seconds after the student checks in.
    Quiz.objects.filter(pk=quiz.pk).update(opens_at=timezone.now() + dt.timedelta(seconds=5))
    heading = page.get_by_role("heading", name="National mock", exact=True)
    page.locator("article").filter(has=heading).get_by_role("button", name="Check in").click()
    expect(page.get_by_text("You are checked in.")).to_be_visible()
    begin = page.locator("#begin-button")
    expect(begin).to_be_disabled()  # the script holds it until the opening
    expect(page.locator(".stem")).to_have_count(0)
    expect(page.locator("#opening .opens-in")).to_have_text(re.compile(r"^0:0[1-5]$"))
    expect(begin).to_be_enabled(timeout=8_000)
    expect(begin).to_be_focused()
    expect(page.locator("#opening-announce")).to_have_text("The test is open. You may begin.")
    begin.click()
    expect(page.locator("#q-heading")).to_have_text("Question 1 of 3")
    sitting = Attempt.objects.get(user__username="kavya")
    quiz.refresh_from_db()
    assert sitting.has_begun and sitting.began_at >= quiz.opens_at
