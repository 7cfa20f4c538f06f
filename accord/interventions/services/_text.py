"""Plain text only: intervention lists and objectives are read by the other party, in pages,
e-mails and exports, so markup is refused at the door rather than escaped in each of them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

NO_HTML = "Write plain text; HTML tags are not accepted."
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def plain(value: str, field: str) -> str:
    """The stripped text, or a ValidationError on `field` if it contains an HTML tag."""
    value = (value or "").strip()
    if TAG.search(value):
        raise ValidationError({field: NO_HTML})
    return value
