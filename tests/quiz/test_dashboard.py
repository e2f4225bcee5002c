"""The student's dashboard, its query budget, and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt
from tests.factories import UserFactory, play_drill, start_attempt

pytestmark = pytest.mark.django_db

# session, user, then 10 reads of summary tables (error reports and bookmarks included) —
# never per answer
DASHBOARD_QUERIES = 12


def test_the_dashboard_shows_the_students_numbers(client, student, clock):
    for day in range(3):  # three study days in a row, ending today
        play_drill(
            start_attempt(student, timezone.now(), n=4, slug="drill"),
            [True, True, day > 0, False],
            clock,
            seconds=6,
        )
        clock.shift(dt.timedelta(days=1))
    clock.shift(dt.timedelta(days=-1, hours=1))
    other = UserFactory()
    play_drill(
        start_attempt(other, timezone.now(), n=4, slug="drill"),
        [True, True, True, True],
        clock,
        seconds=6,
    )
    client.force_login(student)
    html = client.get(reverse("quiz:dashboard")).content.decode()
    assert 'id="stat-answered">12<' in html
    assert 'id="stat-accuracy">67%<' in html  # 8 of 12
    assert 'id="stat-time">6.0 s<' in html
    assert 'id="stat-streak">3 days<' in html
    assert "at or above 50% of 2 students" in html  # best 5.33 against the other's 8
    assert "Score trend as a table" in html and "<svg" in html
    assert "Accuracy by topic as a table" in html
    assert reverse("quiz:review", args=[Attempt.objects.filter(user=student).first().pk]) in html
    assert "fact-4" in html  # missed every time: among the facts missed most
    assert 'id="due-today">' in html


def test_an_empty_dashboard_invites_a_first_quiz(client, student):
    client.force_login(student)
    html = client.get(reverse("quiz:dashboard")).content.decode()
    assert 'id="stat-answered">0<' in html
    assert "your progress will appear here" in html


@pytest.mark.parametrize("attempts", [1, 12])
def test_the_dashboard_query_count_does_not_grow_with_history(
    client, student, clock, django_assert_num_queries, attempts
):
    for _ in range(attempts):
        play_drill(
            start_attempt(student, timezone.now(), n=5),
            [True, False, True, True, False],
            clock,
            seconds=6,
        )
        clock.shift(dt.timedelta(hours=13))
    client.force_login(student)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("quiz:dashboard"))
    assert response.status_code == 200


def test_the_csv_export_holds_only_the_students_own_answers(client, student, clock):
    mine = play_drill(start_attempt(student, timezone.now(), n=2), [True, False], clock, seconds=6)
    play_drill(start_attempt(UserFactory(), timezone.now(), n=2), [True, True], clock, seconds=6)
    client.force_login(student)
    response = client.get(reverse("quiz:export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["outcome"] for r in rows] == ["correct", "wrong"]
    assert {r["attempt"] for r in rows} == {str(mine.pk)}
    assert rows[0]["your_answer"] == rows[0]["correct_answer"] == "Right answer 1"
    assert rows[1]["seconds"] == "6.0"


def test_the_dashboard_and_export_need_a_login(client):
    for name in ("quiz:dashboard", "quiz:export"):
        assert client.get(reverse(name))["Location"].startswith("/accounts/login/")


def test_the_csv_export_neutralises_cells_a_spreadsheet_would_run(client, student, clock):
    from quiz.models import Attempt, Quiz
    from tests.factories import make_questions

    quiz = Quiz.objects.create(
        slug="formula", title='=HYPERLINK("http://x")', timing="paper", paper_minutes=9
    )
    questions = make_questions(2)
    questions[0].stem = "@SUM(A1:A9)"
    questions[0].options = ["+1", "-1", "\tTab", "\rCR"]
    questions[0].answer = 1
    attempt = Attempt.start(student, quiz, timezone.now(), questions, seed=1)
    attempt.begin(timezone.now())
    q1 = attempt.questions.get(position=1)
    attempt.answer(Attempt.Intent.SAVE, 1, q1.tokens()[0], timezone.now())
    attempt.finish(timezone.now())
    client.force_login(student)
    # The dashboard's "Download all your answers" link.
    response = client.get("/dashboard/answers.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    first = rows[0]
    assert first["quiz"] == '\'=HYPERLINK("http://x")'
    assert first["question"] == "'@SUM(A1:A9)"
    assert first["your_answer"] == "'+1"
    assert first["correct_answer"] == "'-1"
    assert first["attempt_score"] == "-0.67"  # a number, not text: left as it is


def test_the_dashboard_title_is_plain_text_and_the_reports_section_appears_once(client, student):
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    title = html[html.index("<title>") + len("<title>") : html.index("</title>")]
    assert title == "Your progress · India–US 2+2 dialogues for UPSC"
    assert html.count('id="reports-heading"') == 1
