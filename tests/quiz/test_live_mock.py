"""Live mock tests: one paper for everyone, generated before opening; a window; ranks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Profile, Quiz
from quiz.starting import prepare_live_paper
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(shipped_bank, clock):
    now = timezone.now()
    quiz = Quiz.objects.create(
        slug="national-mock",
        title="National mock",
        question_count=5,
        timing="paper",
        paper_minutes=30,
        published=True,
        opens_at=now + dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=2),
    )
    prepare_live_paper(quiz)
    return quiz


def _start(client, quiz):
    return client.post(reverse("quiz:start", args=[quiz.slug]), follow=True)


def test_the_paper_is_frozen_before_the_test_opens(live):
    assert len(live.live_paper) == 5
    assert {"id", "stem", "options", "answer", "template"} <= set(live.live_paper[0])


def test_it_cannot_start_before_check_in_opens_or_after_it_closes(client, student, live, clock):
    client.force_login(student)
    # An hour before the test: check-in opens 30 minutes before it.
    assert "Check-in for this test opens at" in _start(client, live).content.decode()
    clock.shift(dt.timedelta(hours=2, minutes=1))
    assert "This test has closed" in _start(client, live).content.decode()
    assert not Attempt.objects.exists()


def forbid_everywhere(monkeypatch, function, message: str) -> list[str]:
    """Replace ``function`` in every loaded module that holds it, under whatever name:
    ``from content.paper import build_paper`` copies the name into the importing module, so
    patching ``content.paper.build_paper`` alone leaves the copy the code calls untouched."""
    import sys

    def forbidden(*args, **kwargs):
        raise AssertionError(message)

    found = []
    for module in list(sys.modules.values()):
        for name, value in list(getattr(module, "__dict__", {}).items()):
            if value is function:
                monkeypatch.setattr(module, name, forbidden)
                found.append(f"{module.__name__}.{name}")
    return found


def test_everyone_gets_the_same_paper_and_starting_generates_nothing(
    client, live, clock, monkeypatch
):
    from content.generator import generate
    from content.paper import build_paper

    message = "starting a live test must not generate questions"
    # quiz.starting imported build_paper by name: that copy is the one a regression would call.
    assert "quiz.starting.build_paper" in forbid_everywhere(monkeypatch, build_paper, message)
    assert "content.paper.generate" in forbid_everywhere(monkeypatch, generate, message)
    clock.shift(dt.timedelta(hours=1))
    stems = []
    for name in ("a", "b", "c"):
        client.force_login(UserFactory(username=name))
        _start(client, live)
        attempt = Attempt.objects.get(user__username=name)
        stems.append(list(attempt.questions.order_by("position").values_list("stem", flat=True)))
        tokens = set(attempt.questions.values_list("correct_token", flat=True))
        assert tokens  # per-student tokens
    assert stems[0] == stems[1] == stems[2]
    assert Attempt.objects.filter(is_live=True).count() == 3


def test_pressing_start_twice_keeps_one_sitting(client, student, live, clock):
    clock.shift(dt.timedelta(hours=1))
    client.force_login(student)
    _start(client, live)
    _start(client, live)
    assert Attempt.objects.filter(user=student, quiz=live).count() == 1


def test_start_again_returns_to_the_one_sitting_running_or_submitted(client, student, live, clock):
    # The running attempt and the sitting are found in one query (issue 12's calm start).
    clock.shift(dt.timedelta(hours=1))
    client.force_login(student)
    first = client.post(f"/quizzes/{live.slug}/start/")["Location"]
    sitting = Attempt.objects.get(user=student, quiz=live)
    assert first == sitting.get_absolute_url()
    assert client.post(f"/quizzes/{live.slug}/start/")["Location"] == first  # resumed
    sitting.finish(timezone.now())
    assert client.post(f"/quizzes/{live.slug}/start/")["Location"] == first  # not a new one
    assert Attempt.objects.filter(user=student, quiz=live).count() == 1


def test_a_sitting_ends_when_the_test_closes(client, student, live, clock):
    clock.shift(dt.timedelta(hours=1, minutes=50))
    client.force_login(student)
    _start(client, live)
    attempt = Attempt.objects.get(user=student)
    assert attempt.deadline == live.closes_at


def test_the_rank_list_is_published_when_the_test_closes(client, live, clock):
    clock.shift(dt.timedelta(hours=1))
    scores = {}
    for name, right in (("topper", 5), ("middle", 3), ("tied", 3), ("last", 0)):
        user = UserFactory(username=name)
        if name == "topper":
            Profile.objects.create(user=user, display_name="Rank One")
        client.force_login(user)
        _start(client, live)
        attempt = Attempt.objects.get(user=user)
        client.post(f"/attempts/{attempt.pk}/begin/")
        attempt.refresh_from_db()
        for q in attempt.questions.order_by("position")[:right]:
            attempt.answer(Attempt.Intent.SAVE, q.position, q.correct_token, timezone.now())
        if name != "last":
            attempt.finish(timezone.now())
        scores[name] = attempt
    client.force_login(UserFactory(username="viewer"))
    assert (
        "published when the test closes"
        in client.get(reverse("quiz:ranks", args=[live.slug])).content.decode()
    )
    clock.shift(dt.timedelta(hours=1))
    client.force_login(scores["middle"].user)
    html = client.get(reverse("quiz:ranks", args=[live.slug])).content.decode()
    assert "4 students sat this test." in html
    assert "You ranked <strong>2</strong> with 6.00 marks (percentile 75)" in html
    rows = html.split("<tbody>")[1]
    # Display names, never login names: the topper chose one, the others have the default.
    assert "topper" not in rows and "middle" not in rows and "last" not in rows
    last = f"Candidate {scores['last'].user_id}"
    assert rows.index("Rank One") < rows.index(f"Candidate {scores['middle'].user_id}")
    assert rows.index(f"Candidate {scores['middle'].user_id}") < rows.index(last)
    assert (
        Attempt.objects.get(user__username="last").status == "finished"
    )  # closed by the rank list


def test_regenerating_after_opening_is_refused(live, clock):
    from quiz.errors import PaperLocked

    clock.shift(dt.timedelta(hours=1))
    with pytest.raises(PaperLocked, match="can no longer change"):
        prepare_live_paper(live)


def test_the_catalogue_shows_the_live_window_and_the_rank_list(client, student, live):
    client.force_login(student)
    html = client.get(reverse("quiz:catalogue")).content.decode()
    assert "Live mock test" in html and reverse("quiz:ranks", args=[live.slug]) in html
