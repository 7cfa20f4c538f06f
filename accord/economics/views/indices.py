"""The indices page: proportionality, timing and mutual hostages, each with its entries."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accord.charts import Chart, bar_chart
from accord.domain.economics import format_money
from accord.economics import indices_cache, selectors
from accord.economics.selectors import PartnershipEconomics
from accord.economics.views.common import as_of_from, today
from accord.partnerships.access import Need, access_partnership, can, user_organization

SLIPS_SHOWN = 15  # the slippage table lists the largest (amount × days late) first


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else round(value, 2)


def proportionality_chart(economics: PartnershipEconomics) -> Chart:
    names = [f.party.organization.name for f in economics.parties]
    realized = [_finite(f.realized_ratio) for f in economics.parties]
    expected = [_finite(f.expected_ratio) for f in economics.parties]
    alt = "; ".join(
        f"{name}: realized {'n/a' if r is None else r}, expected {'n/a' if e is None else e}"
        for name, r, e in zip(names, realized, expected, strict=True)
    )
    return bar_chart(
        "Value share ÷ investment share (1 = proportional)",
        names,
        {
            "Realized (value ÷ investment made)": realized,
            "Expected (÷ committed)": expected,
        },
        alt=f"Proportionality per party. {alt}",
        height=320,
    )


def hostage_chart(economics: PartnershipEconomics) -> Chart:
    names = [f.party.organization.name for f in economics.parties]
    base = economics.base_currency
    biggest = max((f.hostage for f in economics.parties), default=0.0)
    scale, unit = (1e6, f"{base} millions") if biggest >= 1e6 else (1e3, f"{base} thousands")
    losses = [round(f.hostage / scale, 2) for f in economics.parties]
    alt = "; ".join(
        f"{f.party.organization.name} would lose {format_money(f.hostage, base)}"
        for f in economics.parties
    )
    return bar_chart(
        f"Unrecoverable specific investment ({unit})",
        names,
        {"Lost if it dissolved": losses},
        alt=f"Hostage balance. {alt}",
        height=300,
    )


def _body(
    request: HttpRequest, partnership: Any, as_of: date, my_org: Any, can_contribute: bool
) -> str:
    """The page below its head: every figure, driver, chart and slip (see indices_cache)."""
    economics = selectors.partnership_economics(
        partnership=partnership, viewer=request.user, as_of=as_of, slips_shown=SLIPS_SHOWN
    )
    has_entries = economics.value_count + economics.investment_count > 0
    context = {
        "partnership": partnership,
        "e": economics,
        "base": economics.base_currency,
        "has_entries": has_entries,
        "is_today": as_of == today(),
        "my_org": my_org,
        "can_contribute": can_contribute,
        "proportionality_chart": proportionality_chart(economics) if has_entries else None,
        "hostage_chart": hostage_chart(economics) if has_entries else None,
        "slips": economics.slips,
    }
    return render_to_string("economics/_indices.html", context)


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    as_of = as_of_from(request)
    my_org = user_organization(request.user)
    can_contribute = can(request.user, partnership, Need.CONTRIBUTE)
    key = indices_cache.key(
        partnership_id=partnership.pk,
        organization=my_org,
        can_contribute=can_contribute,
        as_of=as_of,
        today=today(),
    )
    body = indices_cache.cache.get(key) if key else None
    if body is None:
        body = _body(request, partnership, as_of, my_org, can_contribute)
        if key:
            indices_cache.cache.set(key, body)
    context = {
        "partnership": partnership,
        "can_contribute": can_contribute,
        "body": mark_safe(body),  # noqa: S308 — our own template's output, kept as rendered
    }
    return render(request, "economics/overview.html", context)
