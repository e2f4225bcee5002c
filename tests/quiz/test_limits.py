"""Request body limits: an oversized or field-stuffed request is a 400 that says what was
wrong, never a 500, and nothing is saved."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Answer
from tests.factories import start_attempt

pytestmark = pytest.mark.django_db


def test_the_limits_are_set_explicitly_and_tighter_than_djangos_defaults():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 5


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("htmx", [False, True])
def test_an_oversized_answer_is_a_400_with_a_clear_message(client, student, clock, htmx):
    attempt = start_attempt(student, timezone.now(), n=3)
    question = attempt.current_question(timezone.now())
    client.force_login(student)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        reverse("quiz:answer", args=[attempt.pk]),
        {"question": "1", "choice": question.correct_token, "padding": "x" * (1100 * 1024)},
        **headers,
    )
    assert response.status_code == 400
    assert "The form sent more than 1024 KB of data" in _text(response)
    assert not Answer.objects.exists()


def test_an_oversized_login_with_csrf_checks_is_a_400_not_a_500():
    """The CSRF middleware reads the body before any view: the limit holds there too."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {"csrfmiddlewaretoken": token, "username": "a", "password": "x" * (2 * 1024**2)},
    )
    assert response.status_code == 400
    assert "more than 1024 KB" in _text(response)


def test_too_many_fields_is_a_400_with_a_clear_message(client):
    fields = {f"f{i}": "1" for i in range(1001)}
    response = client.post(reverse("login"), fields)
    assert response.status_code == 400
    assert "more than 1000 fields" in _text(response)


def test_too_many_fields_in_a_query_string_is_a_400_too(client):
    response = client.get(reverse("login") + "?" + "&".join(f"f{i}=1" for i in range(1001)))
    assert response.status_code == 400


def test_too_many_files_is_a_400_with_a_clear_message(client):
    files = {f"file{i}": SimpleUploadedFile(f"f{i}.txt", b"x") for i in range(6)}
    response = client.post(reverse("login"), {"username": "a", **files})
    assert response.status_code == 400
    assert "more than 5 files" in _text(response)
