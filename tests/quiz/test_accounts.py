"""Sign up, log in and out, change and reset a password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signing_up_logs_the_student_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "meera",
            "email": "meera@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response["Location"] == reverse("quiz:catalogue")
    assert client.get(reverse("quiz:catalogue")).status_code == 200
    assert get_user_model().objects.get(username="meera").email == "meera@example.com"


def test_sign_up_errors_are_shown_on_the_form(client):
    response = client.post(reverse("signup"), {"username": "", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_log_in_and_log_out(client):
    UserFactory(username="ravi")
    response = client.post(reverse("login"), {"username": "ravi", "password": "pw-for-tests"})
    assert response["Location"] == reverse("quiz:catalogue")
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("home")
    assert client.get(reverse("quiz:catalogue"))["Location"].startswith("/accounts/login/")


def test_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(username="ravi")
    response = client.post(reverse("login"), {"username": "ravi", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_change(client):
    user = UserFactory(username="ravi")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests",
            "new_password1": "another-long-pass-7",
            "new_password2": "another-long-pass-7",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("another-long-pass-7")


def test_password_reset_by_email(client):
    UserFactory(username="ravi", email="ravi@example.com")
    client.post(reverse("password_reset"), {"email": "ravi@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "fresh-long-pass-5", "new_password2": "fresh-long-pass-5"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert client.login(username="ravi", password="fresh-long-pass-5")
