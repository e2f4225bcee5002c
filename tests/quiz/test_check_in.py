"""Checking in to a live mock test before it opens (issue 12's calm start).

From ``LIVE_CHECK_IN`` before the opening, "Check in" makes the student's sitting (the
frozen paper copied in) without beginning it; the sitting waits on its instructions, which
show nothing of the paper. At the opening a drill begins when its page is opened (one
request for the herd), a paper when its student presses "I am ready to begin"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from quiz import starting
from quiz.errors import PaperLocked
from quiz.models import Answer, Attempt, AttemptQuestion, Quiz
from quiz.starting import prepare_live_paper
from tests.factories import UserFactory, live_test
from tests.quiz.test_no_leaks import assert_key_blind

pytestmark = pytest.mark.django_db


def _live(timing: str, n: int = 4) -> Quiz:
    """A live test opening in 20 minutes (check-in is open), closing two hours from now."""
    return live_test(
        n,
        timing,
        dt.timedelta(minutes=20),
        open_for=dt.timedelta(minutes=100),
        slug=f"national-{timing}",
    )


def _check_in(client, quiz: Quiz, user=None) -> Attempt:
    client.force_login(user or UserFactory())
    response = client.post(f"/quizzes/{quiz.slug}/start/")
    assert response.status_code == 302
    attempt = Attempt.objects.get(quiz=quiz, user=response.wsgi_request.user)
    assert response["Location"] == attempt.get_absolute_url()
    return attempt


def reword(*attempts: Attempt) -> None:
    """Give every question of these sittings (and the quiz's frozen paper) other words: a
    page that is the same before and after shows nothing of the paper."""
    for attempt in attempts:
        for q in AttemptQuestion.objects.filter(attempt=attempt):
            q.stem = f"Another stem {q.position}?"
            q.options = [{**o, "text": f"Other {o['text']}"} for o in q.options]
            q.explanation, q.sources, q.topic_slug = "Other.", ["Other doc"], "other-topic"
            q.save()
        quiz = attempt.quiz
        for item in quiz.live_paper:
            item["stem"] = "Another stem?"
            item["options"] = [f"Other {text}" for text in item["options"]]
        quiz.save(update_fields=["live_paper"])


def test_check_in_opens_thirty_minutes_before_the_test(client, clock):
    quiz = _live(Quiz.Timing.DRILL)
    clock.shift(dt.timedelta(minutes=20) - dt.timedelta(minutes=31))  # 31 minutes before
    client.force_login(UserFactory())
    page = client.post(f"/quizzes/{quiz.slug}/start/", follow=True).content.decode()
    assert "Check-in for this test opens at 2 Mar 2026, 15:20; the test begins at" in page
    assert not Attempt.objects.exists()
    clock.shift(dt.timedelta(minutes=1))  # 30 minutes before: check-in is open
    sitting = _check_in(client, quiz)
    assert sitting.is_live and not sitting.has_begun and sitting.question_total == 4
    assert sitting.deadline == quiz.closes_at  # not counted from the check-in
    assert not sitting.questions.filter(served_at__isnull=False).exists()


def test_the_catalogue_says_check_in_before_the_opening_and_enter_after(client, student, clock):
    quiz = _live(Quiz.Timing.DRILL)
    client.force_login(student)
    page = client.get("/quizzes/").content.decode()
    assert "check-in opens 30 minutes before" in page
    assert '<button class="button" type="submit">Check in</button>' in page
    clock.shift(dt.timedelta(minutes=20))
    assert "Enter the test</button>" in client.get("/quizzes/").content.decode()
    assert quiz.has_opened(timezone.now())


@pytest.mark.parametrize("timing", [Quiz.Timing.DRILL, Quiz.Timing.PAPER])
def test_the_lobby_shows_no_question_and_counts_down_to_the_opening(client, clock, timing):
    sitting = _check_in(client, _live(timing))
    page = client.get(sitting.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "You are checked in." in html and "The test opens at 15:50, in" in html
    assert 'data-opens-in="1200.000"' in html  # the script's countdown, from the server
    assert "Question number" not in html and "Right answer" not in html
    assert 'id="begin-button"' in html
    assert not sitting.questions.filter(served_at__isnull=False).exists()


@pytest.mark.parametrize("timing", [Quiz.Timing.DRILL, Quiz.Timing.PAPER])
def test_nothing_of_the_paper_shows_anywhere_before_the_opening(client, clock, timing):
    """Every student URL about the sitting, fetched, then the paper reworded and re-keyed:
    nothing changes, so nothing shows the questions, their options or the key."""
    sitting = _check_in(client, _live(timing))
    assert_key_blind(client, sitting, change=reword)
    assert_key_blind(client, sitting)


@pytest.mark.parametrize("timing", [Quiz.Timing.DRILL, Quiz.Timing.PAPER])
def test_no_answer_is_taken_and_nothing_begins_before_the_opening(client, clock, timing):
    sitting = _check_in(client, _live(timing))
    first = sitting.questions.get(position=1)
    url = f"/attempts/{sitting.pk}/"
    response = client.post(f"{url}answer/", {"question": 1, "choice": first.correct_token})
    assert response["Location"] == url
    begin = client.post(f"{url}begin/")
    assert begin.status_code == 400
    assert "The test has not opened yet: it opens at 2 Mar 2026, 15:50." in begin.content.decode()
    assert client.post(f"{url}submit/")["Location"] == url  # nothing to submit yet
    client.get(url, {"q": 1})
    client.get(url, {"feedback": 1}, headers={"HX-Request": "true"})
    sitting.refresh_from_db()
    assert not sitting.has_begun and not sitting.is_finished
    assert not Answer.objects.exists()
    assert not sitting.questions.filter(served_at__isnull=False).exists()


def test_at_the_opening_a_drill_begins_when_its_page_opens(
    client, clock, django_assert_num_queries
):
    quiz = _live(Quiz.Timing.DRILL)
    sitting = _check_in(client, quiz)
    clock.shift(dt.timedelta(minutes=20))
    # The herd's one request: the session and its user, the sitting, begin (one
    # conditional UPDATE), the lock and the first pending question (in a savepoint, two
    # more statements), serving it.
    with django_assert_num_queries(9):
        page = client.get(sitting.get_absolute_url())
    assert "Question number 1?" in page.content.decode()
    sitting.refresh_from_db()
    assert sitting.began_at == sitting.started_at == quiz.opens_at
    assert sitting.deadline == quiz.closes_at
    first = sitting.questions.get(position=1)
    assert first.served_at == quiz.opens_at
    assert first.deadline == quiz.opens_at + dt.timedelta(seconds=19)
    # Opening it again (a second tab) begins nothing anew.
    clock.shift(5)
    client.get(sitting.get_absolute_url())
    sitting.refresh_from_db()
    assert sitting.began_at == quiz.opens_at


def test_at_the_opening_a_paper_begins_when_its_student_is_ready(client, clock):
    quiz = _live(Quiz.Timing.PAPER)
    sitting = _check_in(client, quiz)
    clock.shift(dt.timedelta(minutes=25))  # five minutes late to press it
    response = client.post(f"/attempts/{sitting.pk}/begin/")
    assert response["Location"] == f"/attempts/{sitting.pk}/?q=1"
    sitting.refresh_from_db()
    assert sitting.began_at == timezone.now()
    assert sitting.deadline == timezone.now() + dt.timedelta(minutes=30)
    assert "Question number 1?" in client.get(response["Location"]).content.decode()


def test_a_sitting_never_begun_is_scored_unanswered_when_the_test_closes(client, clock):
    quiz = _live(Quiz.Timing.DRILL)
    sitting = _check_in(client, quiz)
    clock.shift(dt.timedelta(hours=2, seconds=3))
    assert client.get(sitting.get_absolute_url())["Location"].endswith("/results/")
    sitting.refresh_from_db()
    assert sitting.is_finished and sitting.unanswered_count == 4 and sitting.score == 0


def test_the_paper_cannot_change_from_check_in_nor_once_anyone_has_checked_in(
    client, clock, shipped_bank
):
    quiz = _live(Quiz.Timing.PAPER)
    quiz.opens_at += dt.timedelta(hours=2)  # check-in two hours away
    quiz.closes_at += dt.timedelta(hours=2)
    quiz.save()
    assert prepare_live_paper(quiz) == 4  # until check-in it may still be rebuilt
    clock.shift(dt.timedelta(hours=1, minutes=50))  # check-in is open
    with pytest.raises(PaperLocked, match="Check-in for this test opens at"):
        prepare_live_paper(quiz)
    _check_in(client, quiz)
    quiz.opens_at += dt.timedelta(days=1)  # postponed: check-in is far away again
    quiz.closes_at += dt.timedelta(days=1)
    quiz.save()
    with pytest.raises(PaperLocked, match="Students have checked in"):
        prepare_live_paper(quiz)


def test_a_check_in_during_the_papers_rebuild_keeps_the_paper_it_copied(
    shipped_bank, clock, monkeypatch
):
    quiz = _live(Quiz.Timing.DRILL)
    Quiz.objects.filter(pk=quiz.pk).update(
        opens_at=quiz.opens_at + dt.timedelta(hours=2),
        closes_at=quiz.closes_at + dt.timedelta(hours=2),
    )
    quiz.refresh_from_db()
    paper, build = quiz.live_paper, starting.build_paper

    def slow_build(*args, **kwargs):  # someone checks in while the paper is being built
        questions = build(*args, **kwargs)
        Attempt.start(UserFactory(), quiz, timezone.now(), quiz.thawed_paper(), 1, is_live=True)
        return questions

    monkeypatch.setattr(starting, "build_paper", slow_build)
    with pytest.raises(PaperLocked, match="Students have checked in"):
        prepare_live_paper(quiz)
    quiz.refresh_from_db()
    assert quiz.live_paper == paper


def _edit_window(client, editor, quiz: Quiz, opens_at, closes_at):
    """Save the quiz's admin change form with a new window (local times, as typed)."""
    opens, closes = timezone.localtime(opens_at), timezone.localtime(closes_at)
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "kind": quiz.kind,
        "published": "on",
        "order": quiz.order,
        "question_count": quiz.question_count,
        "timing": quiz.timing,
        "seconds_per_question": quiz.seconds_per_question,
        "paper_minutes": quiz.paper_minutes,
        "mode": quiz.mode,
        "marks_correct": quiz.marks_correct,
        "penalty_numerator": quiz.penalty_numerator,
        "penalty_denominator": quiz.penalty_denominator,
        "opens_at_0": f"{opens:%Y-%m-%d}",
        "opens_at_1": f"{opens:%H:%M:%S}",
        "closes_at_0": f"{closes:%Y-%m-%d}" if closes_at else "",
        "closes_at_1": f"{closes:%H:%M:%S}" if closes_at else "",
    }
    if opens_at is None:
        data["opens_at_0"] = data["opens_at_1"] = data["closes_at_0"] = data["closes_at_1"] = ""
    client.force_login(editor)
    return client.post(f"/admin/quiz/quiz/{quiz.pk}/change/", data)


@pytest.mark.parametrize("timing", [Quiz.Timing.DRILL, Quiz.Timing.PAPER])
def test_postponing_the_test_in_the_admin_keeps_the_checked_in_sittings(
    client, editor, clock, timing
):
    quiz = _live(timing)
    student = UserFactory()
    sitting = _check_in(client, quiz, student)
    later = dt.timedelta(days=1)
    response = _edit_window(client, editor, quiz, quiz.opens_at + later, quiz.closes_at + later)
    assert response.status_code == 302, response.content.decode()[:2000]
    sitting.refresh_from_db()
    assert sitting.deadline == quiz.closes_at + later  # it waits for the new opening
    clock.shift(dt.timedelta(hours=3))  # past the old close
    from django.core.management import call_command

    call_command("finish_expired_attempts")
    sitting.refresh_from_db()
    assert not sitting.is_finished and not sitting.has_begun
    client.force_login(student)
    assert "You are checked in." in client.get(sitting.get_absolute_url()).content.decode()


def test_bringing_the_close_forward_ends_the_running_sittings_with_it(client, editor, clock):
    quiz = _live(Quiz.Timing.PAPER)
    waiting = _check_in(client, quiz)
    begun = _check_in(client, quiz)
    clock.shift(dt.timedelta(minutes=20))
    begun.begin(timezone.now())
    earlier = quiz.opens_at + dt.timedelta(minutes=10)
    assert _edit_window(client, editor, quiz, quiz.opens_at, earlier).status_code == 302
    waiting.refresh_from_db(), begun.refresh_from_db()
    assert waiting.deadline == begun.deadline == earlier
    clock.shift(dt.timedelta(minutes=11))
    client.get(f"/quizzes/{quiz.slug}/ranks/")  # publishes: every sitting finished now
    assert set(Attempt.objects.values_list("status", flat=True)) == {"finished"}


def test_a_live_test_with_sittings_keeps_its_window_in_the_admin(client, editor, clock):
    quiz = _live(Quiz.Timing.DRILL)
    _check_in(client, quiz)
    response = _edit_window(client, editor, quiz, None, None)
    assert response.status_code == 200
    assert "Students hold sittings of this live test" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.is_live_test


def test_a_student_checked_in_but_absent_is_not_ranked_nor_learnt_from(client, clock):
    from quiz.models import TopicProgress

    quiz = _live(Quiz.Timing.DRILL, n=2)
    absent, present = UserFactory(), UserFactory()
    _check_in(client, quiz, absent)
    sat = _check_in(client, quiz, present)
    clock.shift(dt.timedelta(minutes=20))
    client.get(sat.get_absolute_url())  # begins, question 1 served
    clock.shift(dt.timedelta(hours=2))
    html = client.get(f"/quizzes/{quiz.slug}/ranks/").content.decode()
    assert "1 student sat this test." in html
    assert Attempt.objects.get(user=absent).is_finished  # scored, out of the rank list
    assert not TopicProgress.objects.filter(user=absent).exists()
    assert TopicProgress.objects.filter(user=present).exists()


def test_begin_pressed_early_without_a_script_says_when_the_test_opens(client, clock):
    sitting = _check_in(client, _live(Quiz.Timing.DRILL))
    html = client.get(sitting.get_absolute_url(), {"begin": "1"}).content.decode()
    assert "The test has not opened yet: it opens at 2 Mar 2026, 15:50." in html
    assert "has not opened yet" not in client.get(sitting.get_absolute_url()).content.decode()


def test_a_paper_made_live_after_it_was_started_can_still_begin(client, student, clock):
    from tests.factories import start_attempt

    attempt = start_attempt(student, timezone.now(), n=2, timing="paper", begin=False)
    Quiz.objects.filter(pk=attempt.quiz_id).update(
        opens_at=timezone.now() + dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(hours=2),
    )
    client.force_login(student)
    assert client.post(f"/attempts/{attempt.pk}/begin/").status_code == 302
    attempt.refresh_from_db()
    assert attempt.has_begun


def test_checking_in_twice_keeps_one_sitting(client, student, clock):
    quiz = _live(Quiz.Timing.DRILL)
    first = _check_in(client, quiz, student)
    assert _check_in(client, quiz, student) == first
    assert Attempt.objects.filter(quiz=quiz).count() == 1
