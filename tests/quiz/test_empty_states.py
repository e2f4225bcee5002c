"""Every list says what to do next when it is empty."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_new_students_dashboard_says_what_to_do_next(client, student):
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "No finished attempts yet. Start with" in html
    assert 'href="/quizzes/build/">build your own quiz</a>' in html
    assert "Nothing due for review today" in html
    assert "Every fact you answer joins your review schedule." in html
    assert "You have not reported any errors." in html
    assert "none yet; star questions while you review them" in html


def test_an_empty_catalogue_points_to_building_a_quiz(client, student):
    from quiz.models import Quiz

    Quiz.objects.update(published=False)  # the standard quizzes the migrations install
    client.force_login(student)
    html = client.get("/quizzes/").content.decode()
    assert "No quizzes are published yet." in html
    assert "No bookmarks yet." in html
    assert 'href="/quizzes/build/">Build a quiz</a>' in html


def test_no_bookmarks_says_how_to_make_one(client, student):
    client.force_login(student)
    html = client.get("/bookmarks/").content.decode()
    assert "<h2>No bookmarks yet</h2>" in html
    assert "Practise my bookmarks" not in html
