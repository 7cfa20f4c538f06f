"""Login throttling (issue 10, item 9): failed sign-ins lock an account and an address for a
cool-off, with a message saying when to try again; time or an administrator unlocks it; test
logins, API tokens and password reset keep working."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accord.api.services import token_create
from accord.login_throttle import LOCKED_OUT

PASSWORD = "correct horse battery"
LIMIT = 5
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def throttling(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("home")


def locked_message(until: str) -> str:
    return LOCKED_OUT.format(time=until, minutes=15)


def test_the_right_password_is_refused_after_too_many_wrong_ones(cast, client):
    with time_machine.travel(START, tick=False):
        for _ in range(LIMIT - 1):
            assert sign_in(client, cast.alice.username, "wrong").status_code == 200
        assert sign_in(client, cast.alice.username, "wrong").status_code == 429  # the limit
        response = sign_in(client, cast.alice.username, PASSWORD)
    assert response.status_code == 429
    assert locked_message("09:15") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_from_every_address(cast, client):
    with time_machine.travel(START, tick=False):
        for _ in range(LIMIT):
            sign_in(client, cast.alice.username, "wrong", address="203.0.113.7")
        assert (
            sign_in(client, cast.alice.username, PASSWORD, address="198.51.100.9").status_code
            == 429
        )
        assert signed_in(sign_in(client, cast.bob.username, PASSWORD, address="198.51.100.9"))


def test_an_address_trying_many_accounts_is_locked(cast, client):
    names = [cast.alice.username, cast.bob.username, "nobody@example.test"]
    with time_machine.travel(START, tick=False):
        for i in range(LIMIT):
            sign_in(client, names[i % len(names)], "wrong", address="203.0.113.7")
        assert (
            sign_in(client, cast.oscar.username, PASSWORD, address="203.0.113.7").status_code == 429
        )
        assert signed_in(sign_in(client, cast.oscar.username, PASSWORD, address="192.0.2.1"))


def test_the_lockout_ends_after_the_cool_off(cast, client):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(LIMIT):
            sign_in(client, cast.alice.username, "wrong")
        assert sign_in(client, cast.alice.username, PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=14))
        # Trying during the lockout restarts the cool-off, and the message says until when.
        response = sign_in(client, cast.alice.username, PASSWORD)
        assert response.status_code == 429
        assert locked_message("09:29") in response.content.decode()
        clock.shift(timedelta(minutes=15, seconds=1))
        assert signed_in(sign_in(client, cast.alice.username, PASSWORD))


def test_an_administrator_can_unlock_an_account(cast, client):
    with time_machine.travel(START, tick=False):
        for _ in range(LIMIT):
            sign_in(client, cast.alice.username, "wrong")
        assert sign_in(client, cast.alice.username, PASSWORD).status_code == 429
        call_command("axes_reset_username", cast.alice.username)
        assert signed_in(sign_in(client, cast.alice.username, PASSWORD))


def test_an_administrator_can_unlock_an_address(cast, client):
    with time_machine.travel(START, tick=False):
        for i in range(LIMIT):
            sign_in(client, f"nobody{i}@example.test", "wrong", address="203.0.113.7")
        assert (
            sign_in(client, cast.bob.username, PASSWORD, address="203.0.113.7").status_code == 429
        )
        call_command("axes_reset_ip", "203.0.113.7")
        assert signed_in(sign_in(client, cast.bob.username, PASSWORD, address="203.0.113.7"))


def test_a_success_below_the_limit_clears_the_count(cast, client):
    with time_machine.travel(START, tick=False):
        for _ in range(LIMIT - 1):
            sign_in(client, cast.alice.username, "wrong")
        assert signed_in(sign_in(client, cast.alice.username, PASSWORD))
        client.logout()
        for _ in range(LIMIT - 1):
            sign_in(client, cast.alice.username, "wrong")
        assert signed_in(sign_in(client, cast.alice.username, PASSWORD))


def test_test_client_logins_still_work(cast, client):
    assert client.login(username=cast.alice.username, password=PASSWORD)
    assert not client.login(username=cast.alice.username, password="wrong")
    client.force_login(cast.bob)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == cast.bob


def test_api_tokens_keep_working_while_the_account_is_locked(cast, client):
    _token, raw = token_create(user=cast.alice, name="ci", days=30)
    for _ in range(LIMIT):
        sign_in(client, cast.alice.username, "wrong")
    assert sign_in(client, cast.alice.username, PASSWORD).status_code == 429
    response = client.get(
        f"/api/v1/partnerships/{cast.partnership.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    assert response.json()["id"] == cast.partnership.pk


def test_password_reset_works_while_the_account_is_locked(cast, client):
    for _ in range(LIMIT):
        sign_in(client, cast.alice.username, "wrong")
    response = client.post(reverse("password_reset"), {"email": cast.alice.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form_url = client.get(path).url
    done = client.post(
        form_url,
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert done.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("a new long passphrase 42")
