"""Property-based fuzzing of every POST endpoint: random, oversized, wrongly typed and
unicode input never causes a 500, and a rejected request never changes a row."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.models import Fact, QuestionTemplate
from quiz.models import Answer, Attempt, AttemptQuestion
from tests.factories import FactFactory, QuestionTemplateFactory, UserFactory, start_attempt

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
            "1e309",
            "NaN",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
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


@pytest.fixture
def world(db):
    student = UserFactory(username="fuzzy")
    staff = UserFactory(username="fuzzstaff", is_staff=True, is_superuser=True)
    attempt = start_attempt(student, timezone.now(), n=3)
    attempt.current_question(timezone.now())
    paper = start_attempt(student, timezone.now(), n=2, timing="paper", paper_minutes=30)
    fact = FactFactory()
    template = QuestionTemplateFactory(kind=fact.kind)
    return {
        "student": student,
        "staff": staff,
        "attempt": attempt,
        "paper": paper,
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


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
@pytest.mark.django_db
def test_random_posts_never_500_and_rejections_change_nothing(world, data):
    who, url = data.draw(st.sampled_from(_endpoints(world)))
    payload = data.draw(PAYLOADS)
    client = Client(raise_request_exception=False)
    if who:
        client.force_login(world[who])
    before = _snapshot()
    response = client.post(url, payload)
    assert response.status_code < 500, (url, payload, response.status_code)
    if response.status_code >= 400 or (
        response.status_code == 200 and b"errorlist" in response.content
    ):
        assert _snapshot() == before, (url, payload)
