"""Nothing reveals a correct option, an outcome or a score before an attempt's results are out.

The rule covers every student page, fragment and export, now and later, so these tests do
not look for particular words. They are *key-blind* checks: each page is fetched, then the
key is changed in the database (every question's correct option moves to another option, and
every stored outcome and score is recomputed to match), and the page is fetched again. A page
that is the same whatever the key cannot reveal the key, the outcomes or the score. A walk
over the URL configuration makes sure no student URL is left out, including ones added later.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from quiz.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Bookmark,
    Quiz,
    ReviewCard,
    TopicProgress,
)
from quiz.scoring import Tally, judge, to_decimal
from tests.factories import UserFactory, make_questions, start_attempt

pytestmark = pytest.mark.django_db

# Pages a student never reaches (staff and editors only, or no page of ours at all).
NOT_STUDENT_PAGES = {
    "quiz:items",
    "quiz:coverage",
    "healthz",
    "hello",
}
# Auth pages come from django.contrib.auth and show no quiz data; the walk fetches the
# ones a logged-in student sees.
AUTH_PAGES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "signup",
}
# Every named student URL and how the walk reaches it.
WALKED = {
    "home",
    "profile",
    "quiz:catalogue",
    "quiz:start",
    "quiz:ranks",
    "quiz:attempt",
    "quiz:begin",
    "quiz:answer",
    "quiz:summary",
    "quiz:submit",
    "quiz:results",
    "quiz:review",
    "quiz:mistakes",
    "quiz:dashboard",
    "quiz:export",
    "quiz:build",
    "quiz:bookmark",
    "quiz:report",
    "quiz:bookmarks",
    "quiz:unbookmark",
    "quiz:practise_bookmarks",
}


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            namespace = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_the_walk_covers_every_student_url():
    named = set(_names(get_resolver().url_patterns))
    unknown = named - WALKED - NOT_STUDENT_PAGES - AUTH_PAGES
    assert not unknown, f"add these URLs to the key-blind walk in {__file__}: {unknown}"


_VOLATILE = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(rb'"X-CSRFToken": "[^"]+"'),
    re.compile(rb'nonce="[^"]+"'),
]


def _body(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for pattern in _VOLATILE:
        body = pattern.sub(b"", body)
    return body


def _fingerprint(response) -> tuple:
    headers = {
        k: v for k, v in response.items() if k.lower() in {"location", "hx-redirect", "hx-trigger"}
    }
    return response.status_code, headers, _body(response)


def rekey(*attempts: Attempt) -> None:
    """Move every question's correct option to the next option and make every stored
    outcome, count and score agree with the new key (as if the key had been different)."""
    for attempt in attempts:
        for q in AttemptQuestion.objects.filter(attempt=attempt):
            tokens = q.tokens()
            q.correct_token = tokens[(tokens.index(q.correct_token) + 1) % len(tokens)]
            q.save(update_fields=["correct_token"])
            answer = Answer.objects.filter(question=q).first()
            if answer is not None:
                answer.outcome = judge(q.correct_token, answer.chosen_token)
                answer.save(update_fields=["outcome"])
        attempt.refresh_from_db()
        if attempt.is_finished:
            tally = Tally.of(attempt.answers.values_list("outcome", flat=True))
            attempt.correct_count, attempt.wrong_count = tally.correct, tally.wrong
            attempt.unanswered_count = tally.unanswered
            attempt.score = to_decimal(tally.score(attempt.marking()))
            attempt.save()
        quiz = attempt.quiz
        if quiz.live_paper:
            for item in quiz.live_paper:
                item["answer"] = (item["answer"] + 1) % len(item["options"])
            quiz.save(update_fields=["live_paper"])


def _requests(attempt: Attempt, student_attempts: list[Attempt]) -> list[tuple]:
    """(method, url, data, htmx) for every student URL, about ``attempt``."""
    a = attempt.pk
    calls = [
        ("get", "/", None, False),
        ("get", "/quizzes/", None, False),
        ("get", "/dashboard/", None, False),
        ("get", "/dashboard/answers.csv", None, False),
        ("get", "/accounts/profile/", None, False),
        ("get", "/accounts/password_change/", None, False),
        ("get", f"/quizzes/{attempt.quiz.slug}/ranks/", None, False),
        ("post", f"/quizzes/{attempt.quiz.slug}/start/", {}, False),
        ("get", f"/attempts/{a}/", None, False),
        ("get", f"/attempts/{a}/", None, True),
        ("post", f"/attempts/{a}/begin/", {}, False),
        ("get", f"/attempts/{a}/summary/", None, False),
        ("get", f"/attempts/{a}/results/", None, False),
        ("get", f"/attempts/{a}/review/", None, False),
        ("post", f"/attempts/{a}/mistakes/", {}, False),
        ("get", "/quizzes/build/", None, False),
        ("post", "/quizzes/build/", {"question_count": "3", "timing": "drill"}, False),
        ("get", "/bookmarks/", None, False),
        ("post", "/bookmarks/practise/", {}, False),
        # A page that shows (and so consumes) the message the POST left in the session.
        ("get", "/bookmarks/", None, False),
    ]
    for pk in Bookmark.objects.filter(user=attempt.user).values_list("pk", flat=True):
        calls += [
            ("post", f"/bookmarks/{pk}/remove/", {}, False),
            ("get", "/bookmarks/", None, False),
        ]
    # Starring and reporting: refused until the question's answer is shown.
    for q in attempt.questions.order_by("position")[:3]:
        for htmx in (False, True):
            calls += [
                ("post", f"/attempts/{a}/questions/{q.position}/bookmark/", {}, htmx),
                ("get", f"/attempts/{a}/questions/{q.position}/report/", None, htmx),
                (
                    "post",
                    f"/attempts/{a}/questions/{q.position}/report/",
                    {"problem": "The year looks wrong to me."},
                    htmx,
                ),
            ]
    for q in attempt.questions.order_by("position"):
        calls += [
            ("get", f"/attempts/{a}/?q={q.position}", None, False),
            ("get", f"/attempts/{a}/?feedback={q.position}", None, False),
            ("get", f"/attempts/{a}/?feedback={q.position}", None, True),
        ]
    # Answering: a save, a change, a clear, the review marks, a skip, a time-out, a save
    # without a choice (the inline message); plain and htmx.
    # Practice mode's feedback after each answer is the one exception, by design.
    choices = [] if attempt.is_practice else attempt.questions.order_by("position")[:3]
    for q in choices:
        for token in q.tokens()[:2]:
            for htmx in (False, True):
                calls.append(
                    (
                        "post",
                        f"/attempts/{a}/answer/",
                        {"question": q.position, "choice": token},
                        htmx,
                    )
                )
    for q in choices:
        token = q.tokens()[0]
        for extra in (
            {"action": "clear"},
            {"action": "mark"},
            {"action": "mark", "choice": token},
            {"action": "save_mark", "choice": token},
            {"action": "save_mark"},
            {"action": "save"},
            {"action": "skip"},
            {"timeout": "1"},
        ):
            for htmx in (False, True):
                data = {"question": q.position, **extra}
                calls.append(("post", f"/attempts/{a}/answer/", data, htmx))
    return calls


def _fetch(client, method, url, data, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    # A POST changes state, and so does a GET now and then (a paper records which questions
    # were opened, a drill serves its next question): run each request in a savepoint and
    # roll it back, so every request sees the same database and the two keys are compared
    # on equal terms.
    with transaction.atomic():
        if method == "get":
            response = client.get(url, headers=headers)
        else:
            response = client.post(url, data, headers=headers)
        if response.streaming:
            response.streaming_content = [b"".join(response.streaming_content)]
        transaction.set_rollback(True)
    return response


def assert_key_blind(client, attempt: Attempt, *others: Attempt, change=rekey) -> None:
    """Every student URL about ``attempt`` answers the same before and after ``change``
    (``rekey`` by default: move the key) is applied to it and ``others``."""
    calls = _requests(attempt, list(others))
    before = [_fingerprint(_fetch(client, *call)) for call in calls]
    change(attempt, *others)
    after = [_fingerprint(_fetch(client, *call)) for call in calls]
    leaks = [
        call[:2] + (call[3],) for call, b, c in zip(calls, before, after, strict=True) if b != c
    ]
    assert not leaks, f"these responses depend on the key: {leaks}"


def _answer_everything_correctly(attempt: Attempt, now) -> None:
    for q in attempt.questions.order_by("position"):
        if attempt.is_drill:
            attempt.current_question(now)
        attempt.answer(Attempt.Intent.SAVE, q.position, q.correct_token, now)


@pytest.mark.parametrize("timing", ["paper", "drill"])
@pytest.mark.parametrize("mode", ["exam", "practice"])
def test_an_attempt_in_progress_reveals_nothing_anywhere(client, student, clock, timing, mode):
    """An exam in progress, and a practice attempt's questions not yet answered."""
    client.force_login(student)
    attempt = start_attempt(
        student, timezone.now(), n=6, timing=timing, paper_minutes=30, mode=mode
    )
    if mode == "exam":
        # Every answer saved is right: any page that showed an outcome, a score or which
        # option is correct would change when the key moves.
        for q in attempt.questions.order_by("position")[:4]:
            if timing == "drill":
                attempt.current_question(timezone.now())
            attempt.answer(Attempt.Intent.SAVE, q.position, q.correct_token, timezone.now())
    # Earlier finished attempts are fine to show; one makes the pages non-empty.
    earlier = start_attempt(student, timezone.now() - dt.timedelta(days=1), n=2)
    earlier.finish(timezone.now() - dt.timedelta(days=1))
    Bookmark.toggle(student, earlier.questions.first(), timezone.now())
    assert_key_blind(client, attempt)


def test_a_paper_on_its_instructions_page_reveals_nothing(client, student, clock):
    client.force_login(student)
    attempt = start_attempt(student, timezone.now(), n=4, timing="paper", begin=False)
    assert_key_blind(client, attempt)


def test_marked_questions_and_the_submit_summary_reveal_nothing(client, student, clock):
    """Answered-and-marked, marked, answered, not answered and not visited, all at once."""
    client.force_login(student)
    now = timezone.now()
    attempt = start_attempt(student, now, n=6, timing="paper", paper_minutes=30)
    q = {x.position: x for x in attempt.questions.all()}
    attempt.answer(Attempt.Intent.SAVE_MARK, 1, q[1].correct_token, now)
    attempt.answer(Attempt.Intent.MARK, 2, "", now)
    attempt.answer(Attempt.Intent.SAVE, 3, q[3].correct_token, now)
    q[4].visit(now)
    assert_key_blind(client, attempt)


@pytest.fixture
def live(clock):
    now = timezone.now()
    quiz = Quiz.objects.create(
        slug="national-mock",
        title="National mock",
        question_count=6,
        timing="paper",
        paper_minutes=30,
        published=True,
        opens_at=now - dt.timedelta(minutes=10),
        closes_at=now + dt.timedelta(hours=1),
    )
    quiz.freeze_paper(make_questions(6))
    return quiz


def _sit(client, user, quiz) -> Attempt:
    client.force_login(user)
    client.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get(user=user, quiz=quiz)
    client.post(f"/attempts/{attempt.pk}/begin/")
    attempt.refresh_from_db()
    return attempt


def test_a_live_test_submitted_early_reveals_nothing_until_it_closes(client, live, clock):
    still_sitting = _sit(client, UserFactory(), live)
    early = _sit(client, UserFactory(), live)
    _answer_everything_correctly(early, timezone.now())
    assert client.post(f"/attempts/{early.pk}/submit/").status_code == 302
    early.refresh_from_db()
    assert early.is_finished
    assert_key_blind(client, early, still_sitting)


def test_the_results_page_of_a_live_test_says_received_and_when_results_come(client, live, clock):
    early = _sit(client, UserFactory(), live)
    _answer_everything_correctly(early, timezone.now())
    client.post(f"/attempts/{early.pk}/submit/")
    html = client.get(f"/attempts/{early.pk}/results/").content.decode()
    assert "Your sitting is in" in html
    assert "You answered 6 of 6 questions." in html
    closes = timezone.localtime(live.closes_at)
    assert f"{closes:%-d %b %Y} at {closes:%H:%M}" in html
    # "marks" as a word: the header's "Bookmarks" link is not a score.
    assert re.search(r"\bmarks\b", html) is None and "Correct" not in html
    # The review and the mistakes drill wait for the close too.
    assert client.get(f"/attempts/{early.pk}/review/")["Location"].endswith(
        f"/attempts/{early.pk}/results/"
    )
    assert client.post(f"/attempts/{early.pk}/mistakes/").status_code == 400
    assert Attempt.objects.filter(retry_of=early).count() == 0

    clock.shift(dt.timedelta(hours=1, seconds=1))
    html = client.get(f"/attempts/{early.pk}/results/").content.decode()
    assert "12.00</strong> / 12.00 marks" in html
    assert client.get(f"/attempts/{early.pk}/review/").status_code == 200


def test_a_live_sitting_joins_progress_only_when_the_test_closes(client, live, clock):
    from django.core.management import call_command

    early = _sit(client, UserFactory(), live)
    _answer_everything_correctly(early, timezone.now())
    client.post(f"/attempts/{early.pk}/submit/")
    assert not TopicProgress.objects.filter(user=early.user).exists()
    assert not ReviewCard.objects.filter(user=early.user).exists()
    assert "National mock" not in client.get("/dashboard/").content.decode()
    assert b"National mock" not in b"".join(client.get("/dashboard/answers.csv").streaming_content)

    clock.shift(dt.timedelta(hours=1, seconds=5))
    call_command("finish_expired_attempts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    early.refresh_from_db()
    assert early.progress_recorded
    assert TopicProgress.objects.get(user=early.user).correct == 6
    assert ReviewCard.objects.filter(user=early.user).count() == 6
    assert "National mock" in client.get("/dashboard/").content.decode()
    call_command("finish_expired_attempts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert TopicProgress.objects.get(user=early.user).correct == 6  # folded in once


def test_the_catalogue_hides_a_live_score_until_the_close(client, live, clock):
    early = _sit(client, UserFactory(), live)
    _answer_everything_correctly(early, timezone.now())
    client.post(f"/attempts/{early.pk}/submit/")
    assert "12.00" not in client.get("/quizzes/").content.decode()
    clock.shift(dt.timedelta(hours=1, seconds=5))
    assert "12.00" in client.get("/quizzes/").content.decode()


def test_a_live_test_cannot_run_in_practice_mode(live):
    from django.core.exceptions import ValidationError

    live.mode = Quiz.Mode.PRACTICE
    with pytest.raises(ValidationError, match="exam mode"):
        live.full_clean()


def test_a_live_sitting_is_exam_mode_even_if_the_quiz_says_practice(client, live):
    Quiz.objects.filter(pk=live.pk).update(mode=Quiz.Mode.PRACTICE)
    live.refresh_from_db()
    assert _sit(client, UserFactory(), live).mode == Quiz.Mode.EXAM


def test_rekeying_really_changes_what_a_finished_attempt_shows(client, student, clock):
    """The key-blind check can fail: on a finished (released) attempt the results differ."""
    client.force_login(student)
    attempt = start_attempt(student, timezone.now(), n=3, timing="paper", paper_minutes=10)
    _answer_everything_correctly(attempt, timezone.now())
    attempt.finish(timezone.now())
    before = _fingerprint(client.get(f"/attempts/{attempt.pk}/results/"))
    rekey(attempt)
    attempt.refresh_from_db()
    assert attempt.score == to_decimal(Fraction(-2))
    assert before != _fingerprint(client.get(f"/attempts/{attempt.pk}/results/"))
