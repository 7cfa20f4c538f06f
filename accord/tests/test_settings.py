"""Production settings pass Django's deployment checks, and bad environment values stop the start.

Each test starts Django in a fresh process, because settings are read once, at import.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# Everything config/settings.py reads, so the outer environment cannot leak into a run.
SETTINGS_PREFIXES = ("DJANGO_", "ACCORD_", "EMAIL_", "SECURE_", "DB_")
SETTINGS_NAMES = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SITE_URL",
    "DATABASE_URL",
    "MEDIA_ROOT",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "DEFAULT_FROM_EMAIL",
    "CSRF_TRUSTED_ORIGINS",
    "BEHIND_TLS_PROXY",
    "LOG_LEVEL",
}


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + string.punctuation.replace("'", "")
    return "".join(secrets.choice(alphabet) for _ in range(60))


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": random_secret_key(),
    "ALLOWED_HOSTS": "accord.example.org",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_NAMES and not name.startswith(SETTINGS_PREFIXES)
    }
    env.update(environment)
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    run = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues (0 silenced)." in run.stdout
    assert "WARNING" not in run.stdout + run.stderr
    assert "security." not in run.stdout + run.stderr


def test_the_deployment_checks_do_catch_debug_left_on_in_production():
    """The check above would pass vacuously if --deploy saw nothing: show that it does look."""
    run = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DEBUG="true")
    assert run.returncode != 0
    assert "security.W018" in run.stdout + run.stderr


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "accord.example.org"},
            "Environment variable SECRET_KEY is required.",
        ),
        (
            {**PRODUCTION, "SECRET_KEY": "too-short"},
            "SECRET_KEY must be at least 50 characters in production.",
        ),
        (
            {"DJANGO_ENV": "production", "SECRET_KEY": PRODUCTION["SECRET_KEY"]},
            "ALLOWED_HOSTS is required in production",
        ),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DJANGO_ENV": "prod"}, "DJANGO_ENV='prod' must be one of ['development', 'production']"),
        ({"ACCORD_INVITATION_DAYS": "fourteen"}, "ACCORD_INVITATION_DAYS='fourteen' is not an"),
        ({"DATABASE_URL": ""}, "DATABASE_URL (scheme '') is not a database URL"),
        (
            {"DATABASE_URL": "postgress://accord:s3cret@db:5432/accord"},
            "DATABASE_URL (scheme 'postgress') is not a database URL",
        ),
    ],
    ids=[
        "production-without-secret-key",
        "short-secret-key",
        "production-without-allowed-hosts",
        "debug-maybe",
        "env-prod",
        "invitation-days-not-a-number",
        "empty-database-url",
        "misspelled-database-url",
    ],
)
def test_a_bad_environment_stops_the_start_with_a_clear_message(environment, message):
    run = manage("check", **environment)
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr
    assert message in run.stderr
    assert "System check identified" not in run.stdout
    assert "s3cret" not in run.stderr
