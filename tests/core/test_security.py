"""Security promises that hold from the first commit."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_csp_forbids_inline_and_eval(owner_client):
    response = owner_client.get(reverse("generation:learnings"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_pages_carry_no_inline_script_or_style(owner_client):
    html = owner_client.get(reverse("generation:learning_create")).content.decode()
    assert "<script>" not in html
    assert ' style="' not in html
    assert "onclick=" not in html


def test_passwords_are_hashed_with_argon2(db):
    from learnloop.people.services import person_create

    person = person_create(
        username="newbie", email="n@example.org", password="Plenty-long-passphrase-7"
    )
    assert person.password.startswith("argon2$")


def test_login_is_rate_limited(client, settings):
    settings.RATELIMIT_ENABLE = True
    url = reverse("login")
    statuses = [
        client.post(url, {"username": "nobody", "password": "wrong"}).status_code for _ in range(12)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429


def test_password_reset_is_rate_limited_and_sends_mail(client, owner, mailoutbox):
    owner.set_password("An-old-passphrase-11")
    owner.save()
    url = reverse("password_reset")
    first = client.post(url, {"email": owner.email})
    assert first.status_code == 302
    assert len(mailoutbox) == 1
    assert "/password-reset/" in mailoutbox[0].body
    statuses = [client.post(url, {"email": owner.email}).status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_session_form_posts_need_csrf(csrf_client):
    response = csrf_client.post(reverse("generation:learning_create"), {"title": "x"})
    assert response.status_code == 403


def _check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    skip = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        {"LEARNLOOP_TESTING": "0", "DJANGO_SETTINGS_MODULE": "learnloop.settings", **extra_env}
    )
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_check_deploy_is_clean_over_https(tmp_path):
    result = _check_deploy(
        {"LEARNLOOP_DATA_DIR": str(tmp_path), "SITE_URL": "https://learn.example.org"}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_check_deploy_is_clean_for_a_plain_http_install(tmp_path):
    result = _check_deploy({"LEARNLOOP_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_unless_asked_for():
    assert settings.DEBUG is False
