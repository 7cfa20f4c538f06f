"""`{% person user %}`: a person's name as the page's viewer may see it (access.PeopleLens).

Needs `request` and `partnership` in the template context (every partnership page has both).
"""

from __future__ import annotations

from typing import Any

from django import template

from accord.partnerships.access import request_lens

register = template.Library()


@register.simple_tag(takes_context=True)
def person(context: Any, user: Any, default: str = "") -> str:
    if not user:
        return default
    name = user.get_full_name() or user.get_username()
    partnership = context.get("partnership")
    request = context.get("request")
    if partnership is None or request is None:
        return str(name)
    return request_lens(request, partnership).name(user_id=user.pk, name=name)
