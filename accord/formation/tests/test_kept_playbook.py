"""The Formation tab keeps its progress table and checklist as HTML (``kept_playbook``): every
kind of record made through the app shows on the next request, so does the clock passing a
round's closing time, and one organization's or role's rendering is never served to another."""

from __future__ import annotations

import re
from datetime import time, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from accord.accountability.services import cadence_create, cadence_end, commitment_set_status
from accord.accountability.tests.helpers import commitment
from accord.communication.services.threads import thread_start
from accord.conflicts.services.ladder import tier_owners_set
from accord.conflicts.services.principles import principle_save
from accord.domain.formation import ITEMS
from accord.formation import kept_playbook, selectors
from accord.formation.selectors import MISSING_WORDS
from accord.governance.services import charter_sign
from accord.governance.tests.helpers import govern
from accord.partnerships.models import Participant
from accord.partnerships.services import partnership_update
from accord.testing.factories import PartnershipFactory, PartyFactory
from accord.trust import services as trust
from accord.trust.tests.helpers import instrument

LABELS = dict(ITEMS)
ROW = re.compile(
    r'<th scope="row">([^<]+?)( <span class="badge">you</span>)?</th>\s*'
    r'<td class="num">(\d+) of \d+</td>'
)


def _get(client, cast, user=None):
    client.force_login(user or cast.alice)
    response = client.get(reverse("formation:overview", kwargs={"pk": cast.partnership.pk}))
    assert response.status_code == 200
    return response


def _page(client, cast, user=None) -> str:
    return _get(client, cast, user).content.decode()


def _playbook(page: str) -> str:
    """The kept part of the page (the rest carries a fresh CSRF token each time)."""
    start = page.index('<section class="card" aria-labelledby="formation-progress">')
    return page[start : page.rindex("</section>")]


def _done(page: str) -> dict[str, int]:
    """Items done per party, from the progress table."""
    return {name: int(done) for name, _you, done in ROW.findall(page)}


def _yours(page: str) -> list[str]:
    return [name for name, you, _done in ROW.findall(page) if you]


def _open(page: str) -> set[str]:
    return {key for key, label in LABELS.items() if f"open</span> {label}</h3>" in page}


def test_the_second_request_is_served_what_the_first_drew(cast, client):
    first = _get(client, cast)
    assert "formation/_playbook.html" in [t.name for t in first.templates]
    again = _get(client, cast)
    assert "formation/_playbook.html" not in [t.name for t in again.templates]
    assert _playbook(again.content.decode()) == _playbook(first.content.decode())


def test_sign_offs_posts_and_delivered_commitments_show_at_once(cast, client):
    govern(cast)
    assert _done(_page(client, cast)) == {"Alder Pharma": 1, "Birch Bio": 1}
    charter_sign(partnership=cast.partnership, user=cast.alice)
    assert _done(_page(client, cast)) == {"Alder Pharma": 2, "Birch Bio": 1}
    charter_sign(partnership=cast.partnership, user=cast.bob)
    page = _page(client, cast)
    assert "rules_agreed" not in _open(page)
    assert _done(page) == {"Alder Pharma": 2, "Birch Bio": 2}

    thread_start(partnership=cast.partnership, user=cast.bob, title="Norms", body="Ours")
    assert _done(_page(client, cast)) == {"Alder Pharma": 2, "Birch Bio": 3}

    today = timezone.localdate()
    promise = commitment(cast, party="a", due_on=today + timedelta(days=30))
    commitment_set_status(commitment=promise, user=cast.amos, status="done", done_on=today)
    assert _done(_page(client, cast)) == {"Alder Pharma": 3, "Birch Bio": 3}


def test_governance_records_and_cadences_show_at_once(cast, client):
    no_domain, no_principle = MISSING_WORDS["decision_rights"], MISSING_WORDS["principles"]
    ladder = "No escalation-ladder owner named yet by {}."
    page = _page(client, cast)
    assert no_domain in page
    assert ladder.format("Alder Pharma, Birch Bio") in page
    govern(cast)  # seeds the decision-rights matrix
    assert no_domain not in _page(client, cast)
    principle_save(
        partnership=cast.partnership,
        user=cast.alice,
        conflict_type="any",
        title="Talk first",
        text="Talk first.",
    )
    assert no_principle not in _page(client, cast)
    tier_owners_set(
        partnership=cast.partnership,
        user=cast.alice,
        tier="alliance_managers",
        organization=cast.org_a,
        users=[cast.alice],
    )
    assert ladder.format("Birch Bio") in _page(client, cast)
    tier_owners_set(
        partnership=cast.partnership,
        user=cast.bob,
        tier="alliance_managers",
        organization=cast.org_b,
        users=[cast.bob],
    )
    assert "governance_set" not in _open(_page(client, cast))

    assert "review_cadences" in _open(_page(client, cast))
    cadence = cadence_create(
        partnership=cast.partnership,
        user=cast.alice,
        name="Monthly JSC",
        frequency="monthly",
        kind="operational",
        starts_on=timezone.localdate(),
        time_of_day=time(9),
        participants=list(Participant.objects.filter(partnership=cast.partnership)),
    )
    assert "review_cadences" not in _open(_page(client, cast))
    cadence_end(cadence=cadence, user=cast.alice)
    assert "review_cadences" in _open(_page(client, cast))


def test_a_round_shows_as_closed_once_closed_or_once_its_closing_time_passes(cast, client):
    now = timezone.now()
    rounds = {
        kind: trust.round_create(
            user=cast.alice,
            partnership=cast.partnership,
            instrument=instrument(kind),
            title="Baseline",
            opens_at=now,
            closes_at=now + timedelta(hours=2),
            allow_overlap=True,
            now=now,
        )
        for kind in ("trust", "culture")
    }
    assert {"baseline_trust", "culture_due_diligence"} <= _open(_page(client, cast))
    trust.round_close(user=cast.alice, survey=rounds["trust"])
    page = _page(client, cast)
    assert "baseline_trust" not in _open(page)
    assert "culture_due_diligence" in _open(page)
    # Nothing is written when the culture round's time is up: the clock alone closes it.
    with time_machine.travel(now + timedelta(hours=3), tick=False):
        assert "culture_due_diligence" not in _open(_page(client, cast))


def test_status_notice_period_names_and_new_parties_show_at_once(cast, client):
    partnership_update(user=cast.alice, partnership=cast.partnership, status="forming")
    assert "items are still open" in _page(client, cast)
    partnership_update(user=cast.alice, partnership=cast.partnership, status="active")
    assert "past formation" in _page(client, cast)

    assert "notice_period" not in _open(_page(client, cast))
    partnership_update(user=cast.alice, partnership=cast.partnership, notice_lead_days=0)
    assert "notice_period" in _open(_page(client, cast))

    cast.org_b.name = "Birch Biologics"
    cast.org_b.save()
    assert "Birch Biologics" in _done(_page(client, cast))
    third = PartyFactory(partnership=cast.partnership)
    assert third.organization.name in _done(_page(client, cast))


def test_each_organization_sees_its_own_row_marked(cast, client):
    assert _yours(_page(client, cast, cast.alice)) == ["Alder Pharma"]
    assert _yours(_page(client, cast, cast.bob)) == ["Birch Bio"]
    assert _yours(_page(client, cast, cast.alice)) == ["Alder Pharma"]


def test_a_member_is_not_served_the_managers_link_to_the_edit_form(cast, client):
    partnership_update(user=cast.alice, partnership=cast.partnership, notice_lead_days=0)
    manager, member = "Edit the partnership&#x27;s settings", "See the partnership&#x27;s settings"
    assert manager in _page(client, cast, cast.alice)
    page = _page(client, cast, cast.amos)
    assert (manager in page, member in page) == (False, True)
    assert manager in _page(client, cast, cast.alice)


def test_another_language_is_another_key(cast):
    read = selectors.records(cast.partnership)
    keys = set()
    for language in ("en", "de", "fr"):
        with translation.override(language):
            keys.add(kept_playbook._key(cast.partnership, read, cast.org_a.pk, True))
    assert len(keys) == 3


def test_partnerships_with_the_same_records_link_each_to_its_own_pages(db):
    first, second = PartnershipFactory(notice_lead_days=0), PartnershipFactory(notice_lead_days=0)
    for partnership in (first, second, first):
        html = kept_playbook.playbook_html(partnership, viewer_org_id=None, can_manage=True)
        assert reverse("partnership_edit", kwargs={"pk": partnership.pk}) in html
