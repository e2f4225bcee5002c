"""The study tools in a real browser: star a question in practice feedback, filter the
review, report an error, have an editor resolve it in the admin and read the reply as the
student, practise the bookmarks; and build your own quiz, remembered for next time."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from content.bank_files import files_to_db
from content.signals import EDITORS_GROUP, ensure_editors_group
from quiz.models import Attempt, Bookmark, ErrorReport, Quiz, QuizChoice
from tests.browser.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_bookmark_report_an_error_and_read_the_editors_reply(
    live_server, page, browser, settings, console
):
    files_to_db(settings.CONTENT_BANK_DIR)
    UserFactory(username="meera")
    ensure_editors_group()
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    Quiz.objects.create(
        slug="practice-drill",
        title="Practice drill",
        question_count=2,
        timing="drill",
        seconds_per_question=60,
        mode="practice",
        published=True,
        styles=["mcq"],
    )
    base = live_server.url
    log_in(page, base, "meera")
    page.locator("article", has_text="Practice drill").get_by_role("button", name="Start").click()
    page.wait_for_selector("text=Question 1 of 2")
    attempt = Attempt.objects.get(user__username="meera")

    # Practice: answer, and star the question from its feedback (htmx swaps the button).
    q1 = attempt.questions.get(position=1)
    page.click(f'button[value="{q1.correct_token}"]')
    star = page.get_by_role("button", name="Bookmark question 1")
    assert star.get_attribute("aria-pressed") == "false"
    star.click()
    page.locator('button[aria-pressed="true"]', has_text="Bookmark").wait_for()
    assert Bookmark.objects.get().question_key == q1.question_key

    page.get_by_role("link", name="Next question").click()
    page.wait_for_selector("text=Question 2 of 2")
    q2 = attempt.questions.get(position=2)
    page.click(f'button[value="{next(t for t in q2.tokens() if t != q2.correct_token)}"]')
    page.get_by_role("link", name="See results").click()
    page.wait_for_url("**/results/")
    assert page.get_by_role("heading", name="By topic").is_visible()

    # Review: the bookmarked filter shows the starred question only.
    page.get_by_role("link", name="Review every answer").click()
    page.get_by_role("link", name="Bookmarked (1)").click()
    assert page.locator("article.review").count() == 1
    assert page.locator("article#q1").is_visible()
    page.get_by_role("link", name="Wrong (1)").click()
    assert page.locator("article.review").count() == 1 and page.locator("article#q2").count()

    # Report an error in question 2: a blank report comes back (a 400) with its error.
    page.locator("#report-2 summary").click()
    page.fill("#problem-2", "   ")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("#problem-2-error")).to_have_text("Say in a few words what is wrong.")
    expect(page.locator("#report-2 details")).to_have_attribute("open", "")
    page.fill("#problem-2", "The year given here is wrong; it was signed a year later.")
    page.fill("#source-2", "MEA joint statement, para 4")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("You reported an error in this question").wait_for()
    report = ErrorReport.objects.get()
    assert (report.question.position, report.status) == (2, "open")

    # The editor resolves it in the admin, with a reply.
    editor_context = browser.new_context()
    admin = editor_context.new_page()
    admin.goto(f"{base}/admin/login/")
    admin.fill("#id_username", "editor")
    admin.fill("#id_password", "pw-for-tests")
    admin.click("input[type=submit]")
    admin.goto(f"{base}/admin/quiz/errorreport/")
    admin.locator("#result_list tbody th a").first.click()
    admin.get_by_text("The year given here is wrong").wait_for()
    admin.get_by_text(q2.correct_text + " — the key").wait_for()
    admin.select_option("#id_status", "resolved")
    admin.fill("#id_reply", "Thank you: corrected to the later year.")
    admin.click("input[name=_save]")
    admin.wait_for_url("**/admin/quiz/errorreport/")
    editor_context.close()
    report.refresh_from_db()
    assert (report.status, report.closed_by.username) == ("resolved", "editor")

    # The student sees the reply on the dashboard.
    page.get_by_role("link", name="Progress", exact=True).click()
    page.wait_for_url("**/dashboard/")
    reports = page.locator("#reports")
    assert reports.get_by_text("Resolved: the question was corrected").is_visible()
    assert reports.get_by_text("Thank you: corrected to the later year.").is_visible()

    # And practises the bookmarks.
    page.get_by_role("link", name="Bookmarks", exact=True).click()
    page.get_by_role("button", name="Practise my bookmarks").click()
    page.wait_for_selector("text=Question 1 of 1")
    drill = Attempt.objects.get(quiz__kind=Quiz.Kind.BOOKMARKS)
    assert drill.questions.get().template_slug == q1.template_slug


def test_build_your_own_quiz_and_find_it_remembered(live_server, page, settings, console):
    files_to_db(settings.CONTENT_BANK_DIR)
    UserFactory(username="meera")
    base = live_server.url
    log_in(page, base, "meera")
    page.get_by_role("link", name="Build a quiz").click()
    page.get_by_label("Foundational agreements").check()
    page.get_by_label("Direct questions").check()
    page.get_by_label("Number of questions").fill("3")
    page.get_by_label("19 seconds per question").check()
    page.get_by_role("button", name="Start my quiz").click()
    page.wait_for_selector("text=Question 1 of 3")
    attempt = Attempt.objects.get(user__username="meera")
    assert {q.topic_slug for q in attempt.questions.all()} == {"foundational-agreements"}
    assert {q.style for q in attempt.questions.all()} == {"mcq"}
    assert (attempt.timing, attempt.seconds_per_question) == ("drill", 19)

    page.get_by_role("link", name="Quizzes").click()
    page.wait_for_url("**/quizzes/")
    own = page.locator("section.own", has_text="Build your own quiz")
    assert own.get_by_text("Your quiz: Foundational agreements").is_visible()
    # The running quiz is offered under "Carry on" too.
    assert page.get_by_role("link", name="Your quiz: Foundational agreements").is_visible()
    assert page.get_by_role("button", name="Start it again").is_visible()
    page.get_by_role("link", name="Change the choice").click()
    page.wait_for_url("**/quizzes/build/")
    assert page.get_by_label("Foundational agreements").is_checked()
    assert page.get_by_label("Direct questions").is_checked()
    assert page.get_by_label("Number of questions").input_value() == "3"
    assert QuizChoice.objects.get().timing == "drill"

    # A bad number is refused on the page, with the reason.
    page.get_by_label("Number of questions").fill("80")
    page.get_by_role("button", name="Start my quiz").click()
    page.get_by_text("Ensure this value is less than or equal to 50.").wait_for()
    assert page.get_by_text("Ensure this value is less than or equal to 50.").is_visible()
    assert Attempt.objects.count() == 1
