"""Small builders for accountability tests; the personas come from the `cast` fixture."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from accord.accountability.models import Commitment, MonitoringRequest, Review, ReviewAction
from accord.partnerships.models import Visibility


def commitment(cast: Any, *, party: str = "a", **fields: Any) -> Commitment:
    side = {"a": (cast.org_a, cast.party_a, cast.amos), "b": (cast.org_b, cast.party_b, cast.bea)}
    org, owner_party, owner = side[party]
    values: dict[str, Any] = dict(
        partnership=cast.partnership,
        owner_org=org,
        created_by=cast.alice if party == "a" else cast.bob,
        title="Deliver the thing",
        owner_party=owner_party,
        owner=owner,
        due_on=date(2026, 6, 30),
        visibility=Visibility.JOINT,
    )
    values.update(fields)
    return Commitment.objects.create(**values)


def request(cast: Any, target: Commitment, *, by: str = "b", on: date) -> MonitoringRequest:
    org, party, user = (
        (cast.org_b, cast.party_b, cast.bob)
        if by == "b"
        else (cast.org_a, cast.party_a, cast.alice)
    )
    return MonitoringRequest.objects.create(
        partnership=cast.partnership,
        owner_org=org,
        created_by=user,
        commitment=target,
        kind="status_check",
        requesting_party=party,
        requested_on=on,
    )


def review(cast: Any, *, when: datetime | None = None, **fields: Any) -> Review:
    values: dict[str, Any] = dict(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        title="Joint operating committee",
        scheduled_at=when or datetime.combine(date(2026, 6, 15), time(9), tzinfo=UTC),
    )
    values.update(fields)
    return Review.objects.create(**values)


def action(cast: Any, **fields: Any) -> ReviewAction:
    values: dict[str, Any] = dict(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        title="Send the revised budget",
        owner_party=cast.party_a,
        owner=cast.amos,
        due_on=date(2026, 6, 1),
    )
    values.update(fields)
    return ReviewAction.objects.create(**values)
