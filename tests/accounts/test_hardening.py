"""Production settings are secure by default: `check --deploy` is clean, there is no default
secret, every form needs a CSRF token, and the Content Security Policy forbids inline script."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory

PROJECT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_with_no_warnings() -> None:
    result = run_manage(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="commonground.config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stderr
    assert "WARNING" not in result.stderr.upper()


@pytest.mark.parametrize("key", [None, "short", "x" * 60, "django-insecure-" + "ab3def" * 10])
def test_production_settings_refuse_to_start_without_a_strong_secret_key(key) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "commonground.config.settings.production",
        "DJANGO_ALLOWED_HOSTS": "example.org",
    }
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key

    result = run_manage("check", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr


FORMS = [
    ("/account/sign-up/", {"email": "a@example.org", "password": "long enough password"}, False),
    ("/account/sign-in/", {"email": "a@example.org", "password": "x"}, False),
    ("/account/password-reset/", {"email": "a@example.org"}, False),
    ("/account/sign-out/", {}, True),
    ("/account/tokens/", {"name": "t"}, True),
    ("/account/delete/", {"password": "x"}, True),
    ("/account/verify/resend/", {}, True),
    ("/account/join/GB-CHC-9990001/", {"role": "officer"}, True),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "data", "signed_in"), FORMS)
def test_every_form_refuses_a_post_without_a_csrf_token(path, data, signed_in, charity) -> None:
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(UserFactory(email="csrf@example.org"))

    assert client.post(path, data).status_code == 403


@pytest.mark.django_db
def test_a_form_with_its_csrf_token_is_accepted() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/account/sign-in/")
    token = page.cookies["csrftoken"].value

    response = client.post(
        "/account/sign-in/",
        {"email": "a@example.org", "password": "x", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 200  # the form answered (wrong password), not 403


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client) -> None:
    policy = client.get("/account/sign-in/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())

    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_account_pages_have_no_inline_script_or_style(client, people) -> None:
    client.force_login(people["staff"])
    for path in [
        "/account/",
        "/account/tokens/",
        "/account/requests/",
        "/audit/",
        "/account/two-factor/",
        "/account/delete/",
    ]:
        html = client.get(path).text
        assert "<script>" not in html and "style=" not in html and "<style" not in html, path
        assert "onclick" not in html, path
