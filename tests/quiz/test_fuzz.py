"""Property-based fuzzing of every POST endpoint and of every GET parameter of every student
page: random, oversized, wrongly typed and unicode input (Unicode digits, NUL bytes, huge
numbers) never causes a 500, and a rejected request never changes a row.

Each example runs inside a savepoint that is rolled back, so every example starts from the
same rows and a failure hypothesis shrinks and replays is the failure it found."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.models import Fact, QuestionTemplate
from quiz.models import Answer, Attempt, AttemptQuestion
from tests.factories import (
    FactFactory,
    QuestionTemplateFactory,
    QuizFactory,
    UserFactory,
    start_attempt,
)

FIELDS = [
    "question",
    "choice",
    "action",
    "timeout",
    "username",
    "password",
    "password1",
    "password2",
    "email",
    "old_password",
    "new_password1",
    "new_password2",
    "slug",
    "stem",
    "answer_field",
    "style",
    "items",
    "kind",
    "csrfmiddlewaretoken",
    "ä",
    "",
    "x" * 300,
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        [
            "1",
            "0",
            "-1",
            "save",
            "clear",
            "mark",
            "true",
            "null",
            "[]",
            "{}",
            "\x00",
            "1\x00",
            "1e309",
            "NaN",
            # Digits that str.isdigit() or int() accept but a page never sends.
            "²",
            "٣",
            "５",
            "１２",
            "1_000",
            " 2 ",
            "9" * 5000,
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    # Numbers written in any script's decimal digits (Arabic-Indic, Devanagari, fullwidth…).
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=12),
)
PAYLOADS = st.dictionaries(
    st.sampled_from(FIELDS), st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=6
)


def _snapshot():
    return (
        list(Answer.objects.order_by("pk").values_list("pk", "chosen_token", "outcome")),
        list(AttemptQuestion.objects.order_by("pk").values_list("pk", "served_at", "marked")),
        list(Attempt.objects.order_by("pk").values_list("pk", "status", "score")),
        list(Fact.objects.order_by("pk").values_list("pk", "values")),
        list(QuestionTemplate.objects.order_by("pk").values_list("pk", "stem")),
    )


@contextmanager
def _fresh_state():
    """Undo everything an example wrote (a savepoint inside the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(db):
    now = timezone.now()
    student = UserFactory(username="fuzzy")
    staff = UserFactory(username="fuzzstaff", is_staff=True, is_superuser=True)
    attempt = start_attempt(student, now, n=3)
    attempt.current_question(now)
    paper = start_attempt(student, now, n=2, timing="paper", paper_minutes=30)
    practice = start_attempt(student, now, n=3, mode="practice")
    first = practice.current_question(now)
    practice.answer(Attempt.Intent.SAVE, 1, first.correct_token, now)
    finished = start_attempt(student, now, n=2)
    finished.finish(now)
    live = QuizFactory(
        slug="closed-live",
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now - dt.timedelta(hours=1),
    )
    fact = FactFactory()
    template = QuestionTemplateFactory(kind=fact.kind)
    return {
        "student": student,
        "staff": staff,
        "attempt": attempt,
        "paper": paper,
        "practice": practice,
        "finished": finished,
        "live": live,
        "fact": fact,
        "template": template,
    }


def _endpoints(w):
    a, p = w["attempt"].pk, w["paper"].pk
    return [
        ("student", reverse("quiz:answer", args=[a])),
        ("student", reverse("quiz:answer", args=[p])),
        ("student", reverse("quiz:start", args=["quick-10"])),
        ("student", reverse("quiz:mistakes", args=[a])),
        ("student", reverse("password_change")),
        (None, reverse("login")),
        (None, reverse("signup")),
        (None, reverse("password_reset")),
        ("staff", reverse("admin:content_questiontemplate_preview", args=[w["template"].pk])),
        ("staff", reverse("admin:content_fact_preview", args=[w["fact"].pk])),
        ("staff", reverse("admin:content_questiontemplate_change", args=[w["template"].pk])),
    ]


# Both fuzz tests: 200 examples; the function-scoped fixtures are reset per example by
# _fresh_state, so hypothesis' warning about them does not apply.
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
@pytest.mark.django_db
def test_random_posts_never_500_and_rejections_change_nothing(world, data):
    who, url = data.draw(st.sampled_from(_endpoints(world)))
    payload = data.draw(PAYLOADS)
    client = Client(raise_request_exception=False)
    with _fresh_state():
        if who:
            client.force_login(world[who])
        before = _snapshot()
        response = client.post(url, payload)
        assert response.status_code < 500, (url, payload, response.status_code)
        if response.status_code >= 400 or (
            response.status_code == 200 and b"errorlist" in response.content
        ):
            assert _snapshot() == before, (url, payload)


# Every GET parameter a student page reads, plus ones none reads (they must be ignored).
GET_FIELDS = ["q", "feedback", "page", "flag", "next", "kind", "question", "ä", "", "x" * 300]
QUERIES = st.dictionaries(
    st.sampled_from(GET_FIELDS), st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=4
)


def _pages(w):
    """Every page a student (or anonymous visitor, or staff for the analytics) can GET."""
    return [
        (None, reverse("home")),
        (None, reverse("login")),
        (None, reverse("signup")),
        (None, reverse("password_reset")),
        ("student", reverse("password_change")),
        ("student", reverse("quiz:catalogue")),
        ("student", reverse("quiz:ranks", args=[w["live"].slug])),
        ("student", reverse("quiz:attempt", args=[w["attempt"].pk])),
        ("student", reverse("quiz:attempt", args=[w["paper"].pk])),
        ("student", reverse("quiz:attempt", args=[w["practice"].pk])),
        ("student", reverse("quiz:results", args=[w["finished"].pk])),
        ("student", reverse("quiz:review", args=[w["finished"].pk])),
        ("student", reverse("quiz:dashboard")),
        ("student", reverse("quiz:export")),
        ("staff", reverse("quiz:items")),
        ("staff", reverse("quiz:coverage")),
    ]


@FUZZ
@given(data=st.data())
@pytest.mark.django_db
def test_random_query_strings_on_every_student_page_never_500(world, data):
    who, url = data.draw(st.sampled_from(_pages(world)))
    query = data.draw(QUERIES)
    client = Client(raise_request_exception=False)
    with _fresh_state():
        if who:
            client.force_login(world[who])
        response = client.get(url, query)
        assert response.status_code < 500, (url, query, response.status_code)


@pytest.mark.parametrize("name", ["q", "feedback", "page"])
@pytest.mark.parametrize("value", ["²", "٣", "５", "\x00", "1\x00", "9" * 5000, "9" * 19])
@pytest.mark.django_db
def test_every_integer_parameter_on_every_student_page_survives_junk(world, name, value):
    """The examples hypothesis must not miss: each junk number in each integer parameter."""
    for who, url in _pages(world):
        client = Client(raise_request_exception=False)
        with _fresh_state():
            if who:
                client.force_login(world[who])
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, value, response.status_code)
