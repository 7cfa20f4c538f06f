"""Every irreversible action asks first (issue 12, forms without dead ends).

A form whose route deletes, removes, closes, revokes, withdraws, ends, cancels, completes,
dissolves, resolves or escalates carries `data-confirm="…"`; accord/static/accord/confirm.js (a
static file the CSP allows) asks the question and stops the submission on "Cancel". The first
test reads every template, so a new irreversible button without a question fails it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accord.testing.personas import build_cast
from accord.trust.models import SurveyRound
from accord.trust.tests.helpers import open_round

ROOT = Path(__file__).resolve().parents[1]
IRREVERSIBLE = re.compile(
    r"(delete|remove|close|revoke|withdraw|_end|cancel|complete|dissolve|resolve|escalate"
    r"|exit_start)$"
)
FORM = re.compile(r"<form\b[^>]*action=\"\{% url '([a-z_:]+)'[^>]*>", re.S)
PASSWORD = "correct horse battery"  # the factories' password


def irreversible_forms() -> list[tuple[str, str, str]]:
    found = []
    for template in sorted(ROOT.glob("*/templates/**/*.html")):
        for match in FORM.finditer(template.read_text()):
            route = match.group(1)
            if IRREVERSIBLE.search(route):
                found.append((str(template.relative_to(ROOT)), route, match.group(0)))
    return found


def test_every_irreversible_form_asks_for_confirmation() -> None:
    forms = irreversible_forms()
    assert len(forms) >= 25  # the scan finds them (it would pass vacuously otherwise)
    assert [(t, r) for t, r, tag in forms if "data-confirm=" not in tag] == []


def test_the_confirmation_script_is_a_static_file_on_every_page(client, cast) -> None:
    client.force_login(cast.alice)
    page = client.get("/partnerships/").content.decode()
    assert '<script src="/static/accord/confirm.js" defer></script>' in page
    assert "onsubmit" not in page


@pytest.mark.browser
def test_close_now_closes_the_round_only_once_confirmed(
    transactional_db, live_server, page: Page
) -> None:
    cast = build_cast()
    survey = open_round(cast)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(cast.alice.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.pk}/trust/rounds/{survey.pk}/")
    questions: list[str] = []

    def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Close now").click()
    assert questions == [
        "Close this survey round now? Nobody can answer after that, and it cannot be reopened."
    ]
    assert SurveyRound.objects.get(pk=survey.pk).closed_at is None

    # Still on the same page: had the dismissed form gone through, the button would be gone.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close now").click()
    expect(page.get_by_role("button", name="Close now")).to_have_count(0)
    assert SurveyRound.objects.get(pk=survey.pk).state() == SurveyRound.State.CLOSED
