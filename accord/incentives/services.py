"""Writes for incentive models. Each service validates, saves and records its audit event in one
transaction; internal scenarios are audited as internal records of their owning organization."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.incentives.models import (
    MAX_HORIZON_DAYS,
    MAX_NOISE,
    MAX_REVIEW_INTERVAL_DAYS,
    MAX_REVIEWS,
    PAYOFF_LIMIT,
    PAYOFF_NAMES,
    IncentiveModel,
)
from accord.partnerships.access import Need, can, user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership, Party, Visibility

NO_NAME = "Give the model a name."
NAME_TOO_LONG = "Keep the name to 120 characters."
NOT_A_PARTY = "Choose a party of this partnership."
SAME_PARTY = "Choose two different parties: the game is played between a pair."
NOT_A_NUMBER = "Enter a finite number."
PAYOFF_TOO_BIG = f"Keep payoffs between −{PAYOFF_LIMIT:,.0f} and {PAYOFF_LIMIT:,.0f}."
NOISE_OUT_OF_RANGE = f"Noise is a share of misread moves between 0 and {MAX_NOISE}."
BAD_INTERVAL = (
    f"The review interval is a whole number of days between 1 and {MAX_REVIEW_INTERVAL_DAYS:,}."
)
BAD_HORIZON = f"The horizon is a whole number of days between 1 and {MAX_HORIZON_DAYS:,}."
NO_END_DATE = "The partnership has no end date; type a horizon instead."
END_DATE_PASSED = "The partnership's end date has passed; type a horizon instead."
TOO_MANY_REVIEWS = (
    "{reviews:,.0f} reviews before the horizon is more than the {limit} this analysis handles; "
    "lengthen the review interval or shorten the horizon."
)
BAD_CHOICE = "Choose one of the offered options."
JOINT_EXISTS = (
    "{first} and {second} already have a joint incentive model; edit it, or save this one as an "
    "internal scenario."
)
STALE_VERSION = (
    "Someone else saved this model while you were editing it; reload to see their changes "
    "before saving yours."
)
NOT_ALLOWED = "You may not change this model."
NO_ORGANIZATION = "You need to belong to an organization first."

SETTINGS = (
    "payoff_unit",
    "payoff_source",
    "horizon_source",
    "horizon_days",
    "review_interval_days",
    "noise",
    "notes",
)
PAYOFF_FIELDS = tuple(f"{seat}_{name}" for seat in ("first", "second") for name in PAYOFF_NAMES)
EDITABLE_FIELDS = ("name", *PAYOFF_FIELDS, *SETTINGS)


def may_edit(user: Any, model: IncentiveModel) -> bool:
    """The joint model is the pair's shared analysis: its alliance managers (and party admins)
    change it. An internal scenario belongs to its organization's contributors alone."""
    if model.visibility == Visibility.JOINT:
        return can(user, model.partnership, Need.MANAGE)
    org = user_organization(user)
    return (
        org is not None
        and org.pk == model.owner_org_id
        and can(user, model.partnership, Need.CONTRIBUTE)
    )


def may_create(user: Any, partnership: Partnership, visibility: str) -> bool:
    need = Need.MANAGE if visibility == Visibility.JOINT else Need.CONTRIBUTE
    return can(user, partnership, need)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _whole(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def validate(values: dict[str, Any], *, partnership: Partnership, today: date) -> dict[str, Any]:
    """Check every field of a full set of values; raise one ValidationError naming each bad
    field, so a form can show every message at once. Returns the values, numbers as floats."""
    errors: dict[str, str] = {}
    clean = dict(values)
    name = str(values.get("name") or "").strip()
    if not name:
        errors["name"] = NO_NAME
    elif len(name) > 120:
        errors["name"] = NAME_TOO_LONG
    clean["name"] = name
    for field in PAYOFF_FIELDS:
        number = _number(values.get(field))
        if number is None:
            errors[field] = NOT_A_NUMBER
        elif abs(number) > PAYOFF_LIMIT:
            errors[field] = PAYOFF_TOO_BIG
        else:
            clean[field] = number
    noise = _number(values.get("noise"))
    if noise is None or not 0 <= noise <= MAX_NOISE:
        errors["noise"] = NOISE_OUT_OF_RANGE
    else:
        clean["noise"] = noise
    interval = _whole(values.get("review_interval_days"), 1, MAX_REVIEW_INTERVAL_DAYS)
    if interval is None:
        errors["review_interval_days"] = BAD_INTERVAL
    source = values.get("horizon_source")
    horizon: int | None = None
    if source == IncentiveModel.HorizonSource.TYPED:
        horizon = _whole(values.get("horizon_days"), 1, MAX_HORIZON_DAYS)
        if horizon is None:
            errors["horizon_days"] = BAD_HORIZON
    elif source == IncentiveModel.HorizonSource.END_DATE:
        clean["horizon_days"] = None
        if partnership.end_date is None:
            errors["horizon_source"] = NO_END_DATE
        elif partnership.end_date <= today:
            errors["horizon_source"] = END_DATE_PASSED
        else:
            horizon = (partnership.end_date - today).days
    else:
        errors["horizon_source"] = BAD_CHOICE
    if values.get("payoff_source") not in IncentiveModel.PayoffSource.values:
        errors["payoff_source"] = BAD_CHOICE
    if interval is not None and horizon is not None and horizon / interval > MAX_REVIEWS:
        field = "horizon_days" if source == IncentiveModel.HorizonSource.TYPED else "horizon_source"
        errors[field] = TOO_MANY_REVIEWS.format(reviews=horizon / interval, limit=MAX_REVIEWS)
    clean["payoff_unit"] = str(values.get("payoff_unit") or "").strip()[:40]
    clean["notes"] = str(values.get("notes") or "")[:5000]
    if errors:
        raise ValidationError(errors)
    return clean


def _pair(partnership: Partnership, first: Any, second: Any) -> tuple[Party, Party]:
    ids = set(partnership.parties.values_list("pk", flat=True))
    errors = {}
    for field, party in (("first_party", first), ("second_party", second)):
        if not isinstance(party, Party) or party.pk not in ids:
            errors[field] = NOT_A_PARTY
    if errors:
        raise ValidationError(errors)
    if first.pk == second.pk:
        raise ValidationError({"second_party": SAME_PARTY})
    return first, second


def _seat_swapped(values: dict[str, Any]) -> dict[str, Any]:
    """The same model with the two seats exchanged, so the pair is stored in party order."""
    swapped = dict(values)
    for name in PAYOFF_NAMES:
        swapped[f"first_{name}"] = values[f"second_{name}"]
        swapped[f"second_{name}"] = values[f"first_{name}"]
    return swapped


def _label(model: IncentiveModel) -> str:
    return f"{model.first_party.organization.name}–{model.second_party.organization.name}"


def _audit(
    *, user: Any, model: IncentiveModel, action: str, summary: str, changes: dict[str, Any]
) -> None:
    internal = model.visibility == Visibility.INTERNAL
    record_event(
        partnership=model.partnership,
        actor=user,
        action=action,
        summary=summary,
        target=model,
        changes=changes,
        owner_org=model.owner_org,
        visibility=Visibility.INTERNAL if internal else Visibility.JOINT,
    )


def _who(user: Any) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def incentive_model_create(
    *,
    user: Any,
    partnership: Partnership,
    visibility: str,
    first_party: Any,
    second_party: Any,
    today: date | None = None,
    **fields: Any,
) -> IncentiveModel:
    """A joint model (one per pair: the analysis both parties see) or an internal scenario of
    the user's organization. The pair is stored in party order, whichever way it was given."""
    org = user_organization(user)
    if org is None:
        raise ValidationError(NO_ORGANIZATION)
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": BAD_CHOICE})
    if not may_create(user, partnership, visibility):
        raise ValidationError(NOT_ALLOWED)
    first, second = _pair(partnership, first_party, second_party)
    values = {k: fields.get(k) for k in EDITABLE_FIELDS}
    values["payoff_source"] = values["payoff_source"] or IncentiveModel.PayoffSource.DIRECT
    values = validate(values, partnership=partnership, today=today or timezone.localdate())
    if first.pk > second.pk:
        first, second, values = second, first, _seat_swapped(values)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).exists()
    if (
        visibility == Visibility.JOINT
        and IncentiveModel.objects.filter(
            partnership=partnership,
            first_party=first,
            second_party=second,
            visibility=Visibility.JOINT,
        ).exists()
    ):
        raise ValidationError(
            JOINT_EXISTS.format(first=first.organization.name, second=second.organization.name)
        )
    model = IncentiveModel.objects.create(
        partnership=partnership,
        owner_org=org,
        visibility=visibility,
        created_by=user,
        first_party=first,
        second_party=second,
        **values,
    )
    kind = (
        "an internal incentive scenario"
        if visibility == Visibility.INTERNAL
        else "the joint incentive model"
    )
    _audit(
        user=user,
        model=model,
        action="incentives.model_create",
        summary=f"{_who(user)} set up {kind} “{model.name}” for {_label(model)}",
        changes={k: values[k] for k in EDITABLE_FIELDS},
    )
    return model


@transaction.atomic
def incentive_model_update(
    *,
    user: Any,
    model: IncentiveModel,
    version: int | None = None,
    today: date | None = None,
    **fields: Any,
) -> IncentiveModel:
    """Change the fields given. `version` is the version the editor saw: if another save came in
    between, nothing changes and the editor is told, so two partners never overwrite each other
    unseen."""
    locked = (
        IncentiveModel.objects.select_for_update()
        .select_related("partnership", "first_party__organization", "second_party__organization")
        .get(pk=model.pk)
    )
    if not may_edit(user, locked):
        raise ValidationError(NOT_ALLOWED)
    if version is not None and version != locked.version:
        raise ValidationError(STALE_VERSION)
    current = {k: getattr(locked, k) for k in EDITABLE_FIELDS}
    given = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    values = validate(
        {**current, **given}, partnership=locked.partnership, today=today or timezone.localdate()
    )
    changes = {k: [current[k], values[k]] for k in EDITABLE_FIELDS if current[k] != values[k]}
    if not changes:
        return locked
    for k, (_old, new) in changes.items():
        setattr(locked, k, new)
    locked.version += 1
    locked.save()
    _audit(
        user=user,
        model=locked,
        action="incentives.model_update",
        summary=f"{_who(user)} changed the incentive model “{locked.name}” ({_label(locked)}): "
        + ", ".join(k.replace("_", " ") for k in changes),
        changes=changes,
    )
    return locked


@transaction.atomic
def incentive_model_delete(*, user: Any, model: IncentiveModel) -> None:
    locked = (
        IncentiveModel.objects.select_for_update()
        .select_related(
            "partnership", "first_party__organization", "second_party__organization", "owner_org"
        )
        .get(pk=model.pk)
    )
    if not may_edit(user, locked):
        raise ValidationError(NOT_ALLOWED)
    _audit(
        user=user,
        model=locked,
        action="incentives.model_delete",
        summary=f"{_who(user)} deleted the incentive model “{locked.name}” ({_label(locked)})",
        changes={"name": locked.name},
    )
    locked.delete()
