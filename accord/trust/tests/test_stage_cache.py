"""The development stage's evidence is collected once per state of its inputs and read back
until one of them changes; the rules are always read fresh."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.accountability.tests.helpers import commitment
from accord.communication.models import Message, Thread
from accord.domain import trust as domain
from accord.partnerships.models import Participant, Visibility
from accord.trust import evidence, stage_cache
from accord.trust.models import StageSettings
from accord.trust.tests.helpers import answered_round


def _post(cast) -> Message:
    thread = Thread.objects.create(
        partnership=cast.partnership, owner_org=cast.org_a, title="Hello", visibility="joint"
    )
    return Message.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        visibility=Visibility.JOINT,
        thread=thread,
        author_party=cast.party_a,
        body="Hello",
        body_html="<p>Hello</p>",
    )


def test_every_evidence_provider_has_its_inputs_in_the_fingerprint():
    assert set(evidence.PROVIDERS) == stage_cache.COVERED


def test_a_second_read_collects_nothing_and_gives_the_same_evidence(cast):
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=5)
    first = stage_cache.stored_evidence(cast.partnership)
    with CaptureQueriesContext(connection) as reads:
        second = stage_cache.stored_evidence(cast.partnership)
    assert len(reads) == 1  # the fingerprint
    assert second is first
    assert second.collected == evidence.collect_evidence(cast.partnership)


@pytest.mark.parametrize(
    "change",
    [
        "commitment",
        "commitment_done",
        "message",
        "role",
        "participant",
        "unit",
        "round",
    ],
)
def test_a_change_to_any_input_collects_the_evidence_again(cast, change):
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=5)
    kept = commitment(cast, due_on=timezone.localdate() - timedelta(days=3))
    before = stage_cache._fingerprint(cast.partnership, timezone.now())
    if change == "commitment":
        commitment(cast, party="b")
    elif change == "commitment_done":
        kept.status, kept.done_on = "done", timezone.localdate() - timedelta(days=4)
        kept.save()
    elif change == "message":
        _post(cast)
    elif change == "role":
        member = Participant.objects.filter(partnership=cast.partnership, role="member").first()
        member.role = Participant.Role.SPONSOR
        member.save()
    elif change == "participant":
        Participant.objects.filter(partnership=cast.partnership, role="member").first().delete()
    elif change == "unit":
        cast.amos.membership.unit = "Process development"
        cast.amos.membership.save()
    elif change == "round":
        answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=2, title="Q2")
    assert stage_cache._fingerprint(cast.partnership, timezone.now()) != before


def test_the_kept_evidence_follows_a_new_round(cast):
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=6)
    high = stage_cache.stored_evidence(cast.partnership).collected.evidence.competence_trust
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=2, title="Q2")
    low = stage_cache.stored_evidence(cast.partnership).collected.evidence.competence_trust
    assert high is not None
    assert low is not None
    assert low < high
    assert low == evidence.collect_evidence(cast.partnership).evidence.competence_trust


def test_the_evidence_is_gathered_again_the_next_hour(cast):
    now = timezone.now()
    first = stage_cache.stored_evidence(cast.partnership, now=now)
    assert stage_cache.stored_evidence(cast.partnership, now=now) is first
    later = stage_cache.stored_evidence(cast.partnership, now=now + timedelta(hours=1))
    assert later is not first
    assert later.collected_at == now + timedelta(hours=1)


def test_changed_thresholds_apply_at_once_to_kept_evidence(cast):
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=6)
    judged, _ = stage_cache.judge_stored(cast.partnership)
    StageSettings.objects.update_or_create(
        partnership=cast.partnership,
        defaults={"values": {**domain.StageRules().__dict__, "min_competence_trust": 7.0}},
    )
    rejudged, _ = stage_cache.judge_stored(cast.partnership)
    fresh, _ = evidence.judge(cast.partnership)
    assert rejudged == fresh
    assert [r.status for r in rejudged.rules] != [r.status for r in judged.rules]


def test_the_pages_say_when_the_evidence_was_gathered(cast, client):
    client.force_login(cast.alice)
    for name in ("trust:overview", "trust:stage"):
        page = client.get(reverse(name, kwargs={"pk": cast.partnership.pk})).content.decode()
        assert "Evidence gathered in the hour from" in page


def test_the_fingerprint_reads_only_this_partnership(cast):
    """Another partnership's records never move this one's fingerprint."""
    from accord.testing.factories import PartnershipFactory

    other = PartnershipFactory()
    before = stage_cache._fingerprint(cast.partnership, timezone.now())
    stage_cache._fingerprint(other, timezone.now())
    commitment(cast, due_on=date(2026, 1, 5))
    assert stage_cache._fingerprint(other, timezone.now())[5][1] == 0  # no commitments there
    assert stage_cache._fingerprint(cast.partnership, timezone.now()) != before


def test_another_partys_hidden_participant_does_not_move_the_time_shown(cast, client):
    """With restricted participant lists, Birch's new participant is hidden from Alder. It is
    an input of the evidence (staff turnover), so the evidence is gathered again; the page
    shows the hour, which does not move, not the minute, which would."""
    import re

    import time_machine

    from accord.testing.factories import ParticipantFactory

    cast.partnership.restrict_participant_lists = True
    cast.partnership.save()
    url = reverse("trust:overview", kwargs={"pk": cast.partnership.pk})
    client.force_login(cast.alice)
    shown = re.compile(r"Evidence gathered in the hour from [^.<]+")
    start = timezone.now().replace(minute=5, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        before = shown.search(client.get(url).content.decode()).group(0)
        first = stage_cache.stored_evidence(cast.partnership)
    with time_machine.travel(start + timedelta(minutes=35), tick=False):
        ParticipantFactory(partnership=cast.partnership, organization=cast.org_b)
        after = shown.search(client.get(url).content.decode()).group(0)
        again = stage_cache.stored_evidence(cast.partnership)
    assert again.collected_at != first.collected_at  # gathered again
    assert after == before
