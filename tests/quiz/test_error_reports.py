"""Report an error: a student's report on a reviewed question, the editors' queue in the
admin, the reply on the student's dashboard, and the count in item analysis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from content.models import Fact
from quiz.models import Attempt, ErrorReport, Quiz
from tests.factories import (
    FactFactory,
    QuestionTemplateFactory,
    QuizFactory,
    UserFactory,
    make_questions,
    start_attempt,
)

pytestmark = pytest.mark.django_db


def _finished(user, n=3):
    attempt = start_attempt(user, timezone.now(), n=n)
    attempt.finish(timezone.now())
    return attempt


def _report(client, attempt, position=1, **data):
    data = {"problem": "The year is 2018, not 2016.", "source": "MEA joint statement"} | data
    return client.post(f"/attempts/{attempt.pk}/questions/{position}/report/", data)


def test_a_report_on_a_reviewed_question_is_filed_with_the_question_it_was_made_on(client, student):
    attempt = _finished(student)
    client.force_login(student)
    response = _report(client, attempt, position=2)
    assert response["Location"] == f"/attempts/{attempt.pk}/review/#q2"
    report = ErrorReport.objects.get()
    assert report.question == attempt.questions.get(position=2)
    assert (report.question_key, report.template_slug, report.fact_slugs) == (
        "tpl-2:fact-2",
        "tpl-2",
        ["fact-2"],
    )
    assert (report.problem, report.source, report.status) == (
        "The year is 2018, not 2016.",
        "MEA joint statement",
        "open",
    )
    review = client.get(f"/attempts/{attempt.pk}/review/").content.decode()
    assert "You reported an error in this question" in review
    assert "the editors will check it" in review  # the thanks, once
    assert "Open: waiting for an editor" in client.get("/dashboard/").content.decode()


def test_a_blank_or_too_short_report_is_refused_with_a_message(client, student):
    attempt = _finished(student)
    client.force_login(student)
    response = _report(client, attempt, problem="  ")
    assert response.status_code == 400
    assert "Say in a few words what is wrong." in response.content.decode()  # not Django's
    response = _report(client, attempt, problem="bad")
    assert response.status_code == 400
    assert "Say in a few words what is wrong." in response.content.decode()
    too_long = _report(client, attempt, problem="x" * 2001)
    assert too_long.status_code == 400
    assert not ErrorReport.objects.exists()


def test_htmx_gets_the_form_back_with_its_error_or_the_thanks(client, student):
    attempt = _finished(student)
    client.force_login(student)
    url = f"/attempts/{attempt.pk}/questions/1/report/"
    bad = client.post(url, {"problem": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 400  # swapped all the same: the form is data-show-errors
    assert "data-show-errors" in bad.content.decode()
    assert 'role="alert"' in bad.content.decode() and "<details open>" in bad.content.decode()
    good = client.post(url, {"problem": "Two options are right."}, headers={"HX-Request": "true"})
    html = good.content.decode()
    assert html.startswith('<div class="report" id="report-1">')
    assert "You reported an error in this question" in html


def test_reporting_the_same_question_twice_files_one_report(client, student):
    attempt = _finished(student)
    client.force_login(student)
    _report(client, attempt)
    _report(client, attempt, problem="Something else entirely.")
    assert ErrorReport.objects.count() == 1
    question = attempt.questions.get(position=1)
    with pytest.raises(IntegrityError):
        ErrorReport.objects.create(
            user=student,
            question=question,
            question_key=question.question_key,
            template_slug="t",
            problem="again",
            created_at=timezone.now(),
        )


def test_an_exam_in_progress_cannot_be_reported(client, student):
    attempt = start_attempt(student, timezone.now(), n=3, timing="paper", paper_minutes=10)
    client.force_login(student)
    for method in ("get", "post"):
        response = getattr(client, method)(f"/attempts/{attempt.pk}/questions/1/report/")
        assert response.status_code == 400
    assert "correct" not in _report(client, attempt).content.decode().lower()
    assert not ErrorReport.objects.exists()


def test_a_live_test_cannot_be_reported_until_it_closes(client, student, clock):
    now = timezone.now()
    quiz = Quiz.objects.create(
        slug="live",
        title="Live",
        question_count=3,
        timing="paper",
        paper_minutes=30,
        published=True,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(hours=1),
    )
    quiz.freeze_paper(make_questions(3))
    client.force_login(student)
    client.post("/quizzes/live/start/")
    attempt = Attempt.objects.get(user=student)
    client.post(f"/attempts/{attempt.pk}/begin/")
    client.post(f"/attempts/{attempt.pk}/submit/")
    assert _report(client, attempt).status_code == 400
    clock.shift(dt.timedelta(hours=1, seconds=1))
    assert _report(client, attempt).status_code == 302
    assert ErrorReport.objects.count() == 1


def test_the_report_page_is_the_students_own(client, student):
    attempt = _finished(student)
    url = f"/attempts/{attempt.pk}/questions/1/report/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert _report(client, attempt).status_code == 404
    client.force_login(student)
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405


def test_a_closed_report_must_carry_a_reply(student):
    attempt = _finished(student)
    report, created = ErrorReport.file(
        student, attempt.questions.first(), "Wrong year.", "", timezone.now()
    )
    assert created
    report.status = ErrorReport.Status.RESOLVED
    report.closed_at = timezone.now()
    with pytest.raises(IntegrityError, match="quiz_errorreport_closed_has_reply|CHECK"):
        report.save()


@pytest.fixture
def reported(student):
    """A report on a question generated from a real fact and template."""
    template = QuestionTemplateFactory(slug="year-signed")
    fact = FactFactory(slug="agreement-x", kind=template.kind)
    quiz = QuizFactory(question_count=1)
    question = make_questions(1)[0]
    question.template, question.facts = template.slug, [fact.slug]
    question.id = f"{template.slug}:{fact.slug}"
    attempt = Attempt.start(student, quiz, timezone.now(), [question], seed=1)
    attempt.finish(timezone.now())
    report, _ = ErrorReport.file(
        student, attempt.questions.get(), "The year is off by one.", "", timezone.now()
    )
    return report, fact, template


def test_the_editors_queue_shows_the_frozen_question_and_links_to_its_fact_and_template(
    client, editor, reported
):
    report, fact, template = reported
    client.force_login(editor)
    listing = client.get("/admin/quiz/errorreport/").content.decode()
    assert "year-signed:agreement-x" in listing and "The year is off by one." in listing
    page = client.get(f"/admin/quiz/errorreport/{report.pk}/change/").content.decode()
    assert "Question number 1?" in page
    assert "Right answer 1 — the key" in page
    assert f'href="/admin/content/fact/{fact.pk}/change/"' in page
    assert f'href="/admin/content/questiontemplate/{template.pk}/change/"' in page


def test_an_editor_must_write_a_reply_to_close_a_report(client, editor, reported):
    report, _, _ = reported
    client.force_login(editor)
    url = f"/admin/quiz/errorreport/{report.pk}/change/"
    response = client.post(url, {"status": "resolved", "reply": "  "})
    assert response.status_code == 200
    assert "Write the reply the student will see" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "open" and report.closed_at is None


def test_a_resolved_report_shows_its_reply_on_the_students_dashboard(
    client, editor, student, reported, clock
):
    report, fact, _ = reported
    client.force_login(editor)
    reply = "Thank you: the year was wrong and is now 2018."
    response = client.post(
        f"/admin/quiz/errorreport/{report.pk}/change/", {"status": "resolved", "reply": reply}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.closed_by, report.closed_at) == (
        "resolved",
        editor,
        timezone.now(),
    )
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "Resolved: the question was corrected" in html
    assert reply in html
    assert '<a href="#reports">The editors replied to 1 of your error report</a>' in html
    review = client.get(f"/attempts/{report.question.attempt_id}/review/").content.decode()
    assert reply in review


def test_a_rejected_report_says_so_with_the_reason(client, editor, student, reported):
    report, _, _ = reported
    client.force_login(editor)
    client.post(
        f"/admin/quiz/errorreport/{report.pk}/change/",
        {"status": "rejected", "reply": "Both sources say 2016."},
    )
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "Rejected: the question stands" in html and "Both sources say 2016." in html


def test_editors_may_answer_reports_but_not_file_or_delete_them(client, editor, reported):
    report, _, _ = reported
    assert editor.has_perm("quiz.change_errorreport")
    client.force_login(editor)
    assert client.get("/admin/quiz/errorreport/add/").status_code == 403
    assert client.get(f"/admin/quiz/errorreport/{report.pk}/delete/").status_code == 403


def test_a_student_cannot_reach_the_queue(client, student, reported):
    client.force_login(student)
    assert client.get("/admin/quiz/errorreport/").status_code == 302


def test_item_analysis_counts_the_reports_beside_each_question(client, reported):
    """The reported question was answered (left blank) when its attempt finished."""
    client.force_login(UserFactory(is_staff=True))
    html = client.get("/analytics/items/").content.decode()
    row = html[html.index("year-signed:agreement-x") :]
    row = row[: row.index("</tr>")]
    link = '<a href="/admin/quiz/errorreport/?q=year-signed%3Aagreement-x">1</a>'
    assert f'<td class="reports">{link}</td>' in row


def test_the_dashboard_says_what_to_do_when_there_are_no_reports(client, student):
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "You have not reported any errors." in html


def test_a_disputed_fact_keeps_its_report_linked(client, editor, reported):
    report, fact, _ = reported
    Fact.objects.filter(pk=fact.pk).update(status=Fact.Status.DISPUTED)
    client.force_login(editor)
    page = client.get(f"/admin/quiz/errorreport/{report.pk}/change/").content.decode()
    assert f'href="/admin/content/fact/{fact.pk}/change/"' in page
