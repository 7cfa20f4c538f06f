"""Tabs on every partnership page, contributed by each capability's AppConfig.partnership_tabs."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.urls import reverse

register = template.Library()

CORE_TABS = [(0, "Overview", "partnership_detail"), (99, "Activity", "partnership_activity")]


@register.inclusion_tag("partnerships/_tabs.html", takes_context=True)
def partnership_tabs(context: dict[str, Any], partnership: Any) -> dict[str, Any]:
    entries = list(CORE_TABS)
    for config in apps.get_app_configs():
        entries += getattr(config, "partnership_tabs", [])
    current = context["request"].resolver_match
    here = f"{current.namespace}:{current.url_name}" if current.namespace else current.url_name
    tabs = []
    for _order, label, name in sorted(entries):
        tabs.append(
            {
                "label": label,
                "url": reverse(name, kwargs={"pk": partnership.pk}),
                "active": here == name
                or (current.namespace and name.startswith(current.namespace + ":")),
            }
        )
    return {"tabs": tabs}
