"""Change notices, reports of unannounced changes, answers and acknowledgements."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accord.accountability import links
from accord.accountability.models import LinkRedemption
from accord.communication.models import (
    ChangeNotice,
    NoticeAcknowledgement,
)
from accord.communication.services._common import (
    ALREADY_ACKNOWLEDGED,
    ALREADY_ANSWERED,
    BAD_KIND,
    LINK_USED,
    ONLY_CHANGING_PARTY,
    OWN_NOTICE_ACK,
    OWN_PARTY_REPORT,
    REASON_REQUIRED_WHEN_SHORT,
    REPORT_IN_FUTURE,
    SUMMARY_REQUIRED,
    UNKNOWN_PARTY,
    _name,
    _party_of,
)
from accord.notifications.services import notify
from accord.partnerships.access import ROLES_FOR, Need
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership, Party, Visibility


def _other_party_people(partnership: Partnership, party: Party) -> Any:
    return [
        p.user
        for p in Participant.objects.filter(
            partnership=partnership, role__in=ROLES_FOR[Need.CONTRIBUTE]
        )
        .exclude(organization_id=party.organization_id)
        .select_related("user")
    ]


@transaction.atomic
def notice_give(
    *,
    partnership: Partnership,
    user: Any,
    category: str,
    summary: str,
    effective_on: date,
    reason: str = "",
) -> ChangeNotice:
    """Announce a change of one's own party. Given today (the server's calendar date, UTC), judged
    against the notice period in force today, which is stored on the notice."""
    party = _party_of(user, partnership)
    given_on = timezone.localdate()
    errors: dict[str, str] = {}
    if category not in ChangeNotice.Category.values:
        errors["category"] = BAD_KIND.format(choices=", ".join(ChangeNotice.Category.values))
    summary, reason = (summary or "").strip(), (reason or "").strip()
    if not summary:
        errors["summary"] = SUMMARY_REQUIRED
    lead = (effective_on - given_on).days
    agreed = partnership.notice_lead_days
    if lead < agreed and not reason:
        errors["reason"] = REASON_REQUIRED_WHEN_SHORT.format(days=agreed, lead=lead)
    if errors:
        raise ValidationError(errors)
    notice = ChangeNotice.objects.create(
        partnership=partnership,
        owner_org=party.organization,
        visibility=Visibility.JOINT,
        created_by=user,
        kind=ChangeNotice.Kind.NOTICE,
        changing_party=party,
        category=category,
        summary=summary,
        given_on=given_on,
        effective_on=effective_on,
        agreed_days=agreed,
        reason=reason,
    )
    what = notice.get_category_display().lower()
    short = f" — short notice ({lead} of {agreed} days): {reason}" if notice.is_short else ""
    record_event(
        partnership=partnership,
        actor=user,
        action="communication.notice_give",
        summary=f"{party.organization.name} gave notice of a {what} "
        f"change effective {effective_on:%d %b %Y}{short}",
        target=notice,
        changes={"lead_days": lead, "agreed_days": agreed},
    )
    for person in _other_party_people(partnership, party):
        notify(
            recipients=[person],
            kind="communication.notice",
            partnership=partnership,
            summary=f"{party.organization.name} announces a {what} "
            f"change effective {effective_on:%d %b %Y} — acknowledge it (the link works once)",
            url=notice_acknowledge_path(notice, person),
        )
    return notice


def notice_acknowledge_path(notice: ChangeNotice, holder: Any) -> str:
    token = links.make_token(links.NOTICE_ACKNOWLEDGE, notice.pk, holder)
    return reverse(
        "communication:link_acknowledge", kwargs={"pk": notice.partnership_id, "token": token}
    )


@transaction.atomic
def notice_report(
    *,
    partnership: Partnership,
    user: Any,
    changing_party_id: int,
    category: str,
    summary: str,
    effective_on: date,
) -> ChangeNotice:
    """Another party made a change with no notice: record it after the fact (a sin of omission)."""
    party = _party_of(user, partnership)
    changing = (
        partnership.parties.filter(pk=changing_party_id).select_related("organization").first()
    )
    errors: dict[str, str] = {}
    if changing is None:
        errors["changing_party_id"] = UNKNOWN_PARTY
    elif changing.pk == party.pk:
        errors["changing_party_id"] = OWN_PARTY_REPORT
    if category not in ChangeNotice.Category.values:
        errors["category"] = BAD_KIND.format(choices=", ".join(ChangeNotice.Category.values))
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = SUMMARY_REQUIRED
    today = timezone.localdate()
    if effective_on > today:
        errors["effective_on"] = REPORT_IN_FUTURE
    if errors:
        raise ValidationError(errors)
    assert changing is not None
    notice = ChangeNotice.objects.create(
        partnership=partnership,
        owner_org=party.organization,
        visibility=Visibility.JOINT,
        created_by=user,
        kind=ChangeNotice.Kind.REPORT,
        changing_party=changing,
        category=category,
        summary=summary,
        given_on=today,
        effective_on=effective_on,
        agreed_days=partnership.notice_lead_days,
    )
    what = notice.get_category_display().lower()
    record_event(
        partnership=partnership,
        actor=user,
        action="communication.notice_report",
        summary=f"{party.organization.name} reports a {what} change "
        f"by {changing.organization.name} effective {effective_on:%d %b %Y} with no notice",
        target=notice,
    )
    notify(
        recipients=_other_party_people(partnership, party),
        kind="communication.notice_report",
        partnership=partnership,
        summary=f"{party.organization.name} reports a change with no notice: you can answer it",
        url=reverse("communication:notices", kwargs={"pk": partnership.pk}),
    )
    return notice


@transaction.atomic
def notice_answer(*, notice: ChangeNotice, user: Any, answer: str) -> ChangeNotice:
    party = _party_of(user, notice.partnership)
    notice = ChangeNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.kind != ChangeNotice.Kind.REPORT or party.pk != notice.changing_party_id:
        raise ValidationError(ONLY_CHANGING_PARTY)
    if notice.answered_at is not None:
        raise ValidationError(ALREADY_ANSWERED)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Write the answer."})
    notice.answer, notice.answered_at, notice.answered_by = answer, timezone.now(), user
    notice.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    record_event(
        partnership=notice.partnership,
        actor=user,
        action="communication.notice_answer",
        summary=f"{party.organization.name} answered the report of a change with no notice",
        target=notice,
    )
    return notice


@transaction.atomic
def notice_acknowledge(
    *, notice: ChangeNotice, user: Any, token: str = ""
) -> NoticeAcknowledgement:
    """One acknowledgement per receiving party; with ``token`` it is the signed link's one use."""
    party = _party_of(user, notice.partnership)
    if party.pk == notice.changing_party_id:
        raise ValidationError(OWN_NOTICE_ACK)
    if token:
        try:
            with transaction.atomic():
                LinkRedemption.objects.create(
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    purpose=links.NOTICE_ACKNOWLEDGE,
                )
        except IntegrityError:
            raise ValidationError(LINK_USED) from None
    try:
        with transaction.atomic():
            ack = NoticeAcknowledgement.objects.create(notice=notice, party=party, user=user)
    except IntegrityError:
        raise ValidationError(ALREADY_ACKNOWLEDGED) from None
    record_event(
        partnership=notice.partnership,
        actor=user,
        action="communication.notice_acknowledge",
        summary=f"{_name(user)} acknowledged the {notice.get_category_display().lower()} notice"
        + (" from an e-mailed link" if token else ""),
        target=notice,
    )
    return ack
