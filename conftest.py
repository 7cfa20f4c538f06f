import os

import pytest
from hypothesis import settings as hypothesis_settings

from accord.testing.personas import Cast, build_cast

# Playwright's sync API keeps an asyncio loop in the main thread; Django then refuses ORM calls
# there. The ORM calls stay synchronous, so allowing them is safe (see shared/TESTING.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests: no per-example deadline (CI machines are shared and slow at times), and a
# derandomized search so a green run stays green; the examples still vary per test.
hypothesis_settings.register_profile("accord", deadline=None, derandomize=True)
hypothesis_settings.load_profile("accord")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run inline in tests, so what a worker would do is visible at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # Kept results are keyed by row counts, ids and stamps; a rolled-back test can leave the
    # next one rows with the same ids, so each test starts with none kept.
    from accord import kept

    kept.clear_all()


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-gpu",
            "--no-first-run",
        ],
    }
