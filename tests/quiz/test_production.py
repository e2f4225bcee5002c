"""Production concerns: health check, login throttling, friendly 503s, deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


def test_a_database_outage_inside_a_view_is_a_friendly_503(client, student, monkeypatch):
    from quiz.views import dashboard

    def boom(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client.force_login(student)
    monkeypatch.setattr(dashboard.TopicProgress.objects, "filter", boom)
    response = client.get(reverse("quiz:dashboard"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Back in a moment" in html and "Traceback" not in html


def test_handler500_turns_an_outage_anywhere_into_a_503(rf):
    from quiz.views.site import server_error

    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def _login(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_that_user_from_that_address_with_a_clear_message(client, axes_on):
    UserFactory(username="ravi")
    for _ in range(5):
        _login(client, "ravi", "wrong")
    response = _login(client, "ravi", "pw-for-tests")
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_a_classmate_behind_the_same_address_can_still_log_in(client, axes_on):
    UserFactory(username="ravi")
    UserFactory(username="meera")
    for _ in range(5):
        _login(client, "ravi", "wrong")
    response = _login(client, "meera", "pw-for-tests")
    assert response.status_code == 302
    # and ravi from home is not locked either
    other = client.__class__()
    assert _login(other, "ravi", "pw-for-tests", ip="198.51.100.20").status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(client, axes_on, clock):
    UserFactory(username="ravi")
    for _ in range(5):
        _login(client, "ravi", "wrong")
    clock.shift(16 * 60)
    assert _login(client, "ravi", "pw-for-tests").status_code == 302


def test_production_settings_pass_the_deploy_check_and_need_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "-production-test-key-with-enough-entropy-1234567890",
        "ALLOWED_HOSTS": "quiz.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    env.pop("SECRET_KEY")
    missing = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert missing.returncode != 0 and "SECRET_KEY must be set when DEBUG is off" in missing.stderr
