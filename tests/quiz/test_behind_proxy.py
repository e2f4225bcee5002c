"""Behind the TLS proxy: login throttling keys on the real client, and a forged
X-Forwarded-For changes nothing. Rank lists show display names, never login names."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from quiz.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def _settings_with(env: dict) -> dict:
    """The settings quiz/settings.py computes for ``env`` (a fresh interpreter)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: getattr(settings, k, None) for k in ("
        "'AXES_CLIENT_IP_CALLABLE', 'AXES_IPWARE_PROXY_COUNT', "
        "'AXES_IPWARE_META_PRECEDENCE_ORDER', 'AXES_IPWARE_PROXY_ORDER', 'TRUSTED_PROXY_IPS')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "quiz.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture
def behind_proxy(settings):
    computed = _settings_with({"BEHIND_TLS_PROXY": "true"})
    for name, value in computed.items():
        setattr(settings, name, value)
    settings.AXES_ENABLED = True
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    return computed


def test_the_proxy_settings_follow_the_environment():
    assert _settings_with({})["AXES_CLIENT_IP_CALLABLE"] is None
    two = _settings_with({"BEHIND_TLS_PROXY": "true", "TRUSTED_PROXY_COUNT": "2"})
    assert two["AXES_CLIENT_IP_CALLABLE"] == "quiz.middleware.client_ip"
    assert two["AXES_IPWARE_PROXY_COUNT"] == 1
    assert two["AXES_IPWARE_META_PRECEDENCE_ORDER"][0] == "HTTP_X_FORWARDED_FOR"


def _login(client, username, password, remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    # The login page's form posts here.
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_failures_from_one_client_do_not_lock_the_student_out_elsewhere(client, behind_proxy):
    UserFactory(username="ravi")
    for _ in range(5):
        _login(client, "ravi", "wrong", forwarded="203.0.113.66")
    assert _login(client, "ravi", "pw-for-tests", forwarded="203.0.113.66").status_code == 429
    # Every request comes from the proxy's address; the student at home is not locked.
    home = client.__class__()
    assert _login(home, "ravi", "pw-for-tests", forwarded="198.51.100.20").status_code == 302


def test_a_forged_header_from_a_direct_client_locks_only_that_client(client, behind_proxy):
    UserFactory(username="ravi")
    for _ in range(5):  # claims to be the student's own address, but is not the proxy
        _login(client, "ravi", "wrong", remote="203.0.113.66", forwarded="198.51.100.20")
    assert _login(client, "ravi", "pw-for-tests", remote="203.0.113.66").status_code == 429
    home = client.__class__()
    assert _login(home, "ravi", "pw-for-tests", forwarded="198.51.100.20").status_code == 302


def test_a_forged_header_through_the_proxy_cannot_pose_as_the_student(client, behind_proxy):
    UserFactory(username="ravi")
    for _ in range(5):  # the proxy appends the real address after the forged one
        _login(client, "ravi", "wrong", forwarded="198.51.100.20, 203.0.113.66")
    home = client.__class__()
    assert _login(home, "ravi", "pw-for-tests", forwarded="198.51.100.20").status_code == 302


def test_without_the_proxy_setting_the_header_is_ignored(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="ravi")
    for _ in range(5):
        _login(client, "ravi", "wrong", remote="203.0.113.66", forwarded="198.51.100.20")
    home = client.__class__()
    assert (
        _login(home, "ravi", "pw-for-tests", remote="198.51.100.20", forwarded="203.0.113.66")
    ).status_code == 302


def test_a_student_chooses_a_display_name(client, student):
    client.force_login(student)
    page = client.get("/accounts/profile/").content.decode()
    assert f"Candidate {student.pk}" in page
    response = client.post("/accounts/profile/", {"display_name": "  Delhi   Aspirant "})
    assert response.status_code == 302
    assert Profile.objects.get(user=student).display_name == "Delhi Aspirant"


def test_another_candidates_default_name_is_reserved(client, student):
    client.force_login(student)
    other = UserFactory()
    response = client.post("/accounts/profile/", {"display_name": f"candidate {other.pk}"})
    assert response.status_code == 200
    assert "are reserved" in response.content.decode()
    assert not Profile.objects.filter(user=student, display_name__icontains="candidate").exists()
    ok = client.post("/accounts/profile/", {"display_name": f"Candidate {student.pk}"})
    assert ok.status_code == 302


def test_the_header_links_to_the_account_page(client, student):
    client.force_login(student)
    assert 'href="/accounts/profile/"' in client.get("/quizzes/").content.decode()
