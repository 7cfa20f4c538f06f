import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.partnerships.audit import AuditEvent
from accord.partnerships.periodic import run_passes
from accord.trust import selectors, services
from accord.trust.models import Instrument, Invitee, SurveyRound
from accord.trust.tests.helpers import answer_all, instrument, open_round


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):
    """E-mails go out on commit, which a test's transaction never reaches: send them at once."""
    monkeypatch.setattr(transaction, "on_commit", lambda fn, *a, **k: fn())


def test_opening_a_round_invites_every_party_with_a_personal_link(cast):
    survey = open_round(cast)
    invited = set(Invitee.objects.filter(round=survey).values_list("user__username", flat=True))
    assert invited == {
        cast.alice.username,
        cast.amos.username,
        cast.ava.username,
        cast.bob.username,
        cast.bea.username,
    }
    links = [re.search(r"\S+/trust/answer/#t=\S+", m.body).group(0) for m in mail.outbox]
    assert len(mail.outbox) == 5
    assert len(set(links)) == 5


def test_observers_are_invited_only_when_asked(cast):
    survey = open_round(cast, include_observers=True)
    assert Invitee.objects.filter(round=survey, user=cast.oscar).exists()
    assert not Invitee.objects.filter(round=survey, user=cast.fiona).exists()


def test_a_scheduled_round_opens_when_the_pass_runs_and_only_once(cast):
    now = timezone.now()
    survey = services.round_create(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=instrument(),
        title="Later",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=8),
    )
    assert survey.invited_at is None
    assert not mail.outbox
    run_passes(now + timedelta(days=1, hours=1), only=["trust.rounds"])
    run_passes(now + timedelta(days=1, hours=2), only=["trust.rounds"])
    assert Invitee.objects.filter(round=survey).count() == 5
    assert len(mail.outbox) == 5


def test_reminders_go_to_non_respondents_once_per_interval(cast):
    survey = open_round(cast, reminder_days=2)
    answer_all(survey, Invitee.objects.get(round=survey, user=cast.amos), 5)
    mail.outbox.clear()
    start = survey.invited_at
    run_passes(start + timedelta(days=1), only=["trust.remind"])
    assert not mail.outbox
    run_passes(start + timedelta(days=2, minutes=1), only=["trust.remind"])
    run_passes(start + timedelta(days=2, minutes=2), only=["trust.remind"])
    assert len(mail.outbox) == 4
    assert cast.amos.email not in [m.to[0] for m in mail.outbox]
    assert all(m.subject.startswith("[Accord] Reminder") for m in mail.outbox)


def test_the_pass_closes_a_round_and_records_how_many_answered(cast):
    survey = open_round(cast)
    answer_all(survey, Invitee.objects.get(round=survey, user=cast.amos), 4)
    run_passes(survey.closes_at + timedelta(minutes=1), only=["trust.rounds"])
    run_passes(survey.closes_at + timedelta(minutes=2), only=["trust.rounds"])
    events = AuditEvent.objects.filter(partnership=cast.partnership, action="trust.round_close")
    assert [e.changes for e in events] == [{"invited": 5, "answered": 1}]


def test_each_party_sees_its_response_rate(cast):
    survey = open_round(cast)
    answer_all(survey, Invitee.objects.get(round=survey, user=cast.bea), 4)
    rates = {
        r.party.organization.name: (r.answered, r.invited)
        for r in selectors.response_rates(survey=survey)
    }
    assert rates == {"Alder Pharma": (0, 3), "Birch Bio": (1, 2)}


def test_a_round_cannot_close_before_it_opens(cast):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.round_create(
            user=cast.alice,
            partnership=cast.partnership,
            instrument=instrument(),
            title="Backwards",
            opens_at=now + timedelta(days=2),
            closes_at=now + timedelta(days=1),
        )
    assert services.ROUND_CLOSES_BEFORE_OPENING in str(error.value)


def test_rounds_are_numbered_per_kind(cast):
    first = open_round(cast)
    second = open_round(cast, title="Again", allow_overlap=True)
    culture = open_round(cast, kind="culture", allow_overlap=True)
    assert (first.number, second.number, culture.number) == (1, 2, 1)


def test_an_opened_round_keeps_its_opening_and_invitees(cast):
    survey = open_round(cast)
    with pytest.raises(ValidationError) as error:
        services.round_update(user=cast.alice, survey=survey, include_observers=True)
    assert services.ROUND_ALREADY_OPEN in str(error.value)


def test_only_a_scheduled_round_can_be_deleted(cast):
    survey = open_round(cast)
    with pytest.raises(ValidationError):
        services.round_delete(user=cast.alice, survey=survey)
    assert SurveyRound.objects.filter(pk=survey.pk).exists()


def test_editing_an_instrument_in_use_creates_a_version_and_past_rounds_keep_theirs(cast):
    past = open_round(cast)
    now = timezone.now()
    scheduled = services.round_create(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=instrument(),
        title="Next quarter",
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=40),
    )
    new, _item = services.instrument_item_save(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=past.instrument,
        item_key="goodwill.beyond_contract",
        key="goodwill.beyond_contract",
        text="{partner} goes out of its way to help us.",
        construct="goodwill",
        reverse=False,
    )
    past.refresh_from_db()
    scheduled.refresh_from_db()
    assert new.version == 2
    assert new.partnership == cast.partnership
    assert past.instrument.version == 1
    assert past.instrument.items.get(key="goodwill.beyond_contract").text.startswith(
        "{partner} does"
    )
    assert scheduled.instrument == new
    # An unused own version is edited in place.
    again, _ = services.instrument_item_save(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=new,
        item_key=None,
        key="goodwill.listens",
        text="{partner} listens when we raise a concern.",
        construct="goodwill",
        reverse=False,
    )
    assert again == new


def test_a_trust_instrument_keeps_three_items_per_form(cast):
    trust = instrument()
    services.instrument_item_remove(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=trust,
        item_key="goodwill.exploits",
    )
    own = Instrument.objects.get(partnership=cast.partnership)
    with pytest.raises(ValidationError) as error:
        services.instrument_item_remove(
            user=cast.alice,
            partnership=cast.partnership,
            instrument=own,
            item_key="goodwill.our_interests",
        )
    assert "at least 3" in str(error.value)
