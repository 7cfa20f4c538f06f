"""Tabs on every partnership page, contributed by each capability's AppConfig.partnership_tabs.

An entry is (order, label, URL name) or (order, label, URL name, need): a tab is shown only to
those the access layer lets open it — `Need.READ` unless the entry names another need, the same
need its view asks `access_partnership` for. The guard tests check every tab shown answers 200.
"""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.apps import apps
from django.urls import get_script_prefix, reverse

from accord.partnerships.access import ROLES_FOR, Need, is_party_admin, participant_role

register = template.Library()

CORE_TABS: list[tuple[Any, ...]] = [
    (0, "Overview", "partnership_detail", Need.VIEW),
    (99, "Activity", "partnership_activity", Need.READ),
]


@functools.cache
def _entries() -> tuple[tuple[Any, ...], ...]:
    """Every tab in order (the apps are fixed once loaded)."""
    entries = list(CORE_TABS)
    for config in apps.get_app_configs():
        entries += getattr(config, "partnership_tabs", [])
    return tuple(sorted(entries, key=lambda e: (e[0], e[1])))


@functools.lru_cache(maxsize=8192)
def _url(name: str, pk: int, prefix: str) -> str:
    """Sixteen `reverse` calls were a tenth of a simple page's time; URLs do not change (the
    script prefix is part of the key, as `reverse` reads it per request)."""
    return reverse(name, kwargs={"pk": pk})


@register.inclusion_tag("partnerships/_tabs.html", takes_context=True)
def partnership_tabs(context: dict[str, Any], partnership: Any) -> dict[str, Any]:
    current = context["request"].resolver_match
    here = f"{current.namespace}:{current.url_name}" if current.namespace else current.url_name
    user = context["request"].user
    # `can` for every need, with the role and the admin check read once instead of per need.
    role = participant_role(user, partnership)
    admin: list[bool] = []
    allowed = {}
    for need in Need:
        if role is not None and role in ROLES_FOR[need]:
            allowed[need] = True
        else:
            admin = admin or [is_party_admin(user, partnership)]
            allowed[need] = admin[0]
    tabs = []
    prefix = get_script_prefix()
    for entry in _entries():
        _order, label, name = entry[:3]
        need = Need(entry[3]) if len(entry) > 3 else Need.READ
        if not allowed[need]:
            continue
        tabs.append(
            {
                "label": label,
                "url": _url(name, partnership.pk, prefix),
                "active": here == name
                or (current.namespace and name.startswith(current.namespace + ":")),
            }
        )
    return {"tabs": tabs}
