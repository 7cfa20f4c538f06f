"""Markdown in, sanitized HTML out. Raw HTML is refused at the door (a clear error, nothing
stored) and, as a second guard, anything that still looks like markup is stripped by nh3."""

from __future__ import annotations

import re

import markdown
import nh3
from django.core.exceptions import ValidationError

HTML_REFUSED = (
    "Write Markdown, not HTML: remove the tags (e.g. <b>, <script>) and use **bold**, "
    "_italic_, lists and links instead."
)
BODY_REQUIRED = "Write something first."
BODY_TOO_LONG = "Keep it under {n} characters."
MAX_BODY = 20_000
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "hr",
}


def clean_body(text: str, *, field: str = "body") -> tuple[str, str]:
    """(markdown source, sanitized HTML) or ValidationError keyed by ``field``."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: BODY_REQUIRED})
    if len(text) > MAX_BODY:
        raise ValidationError({field: BODY_TOO_LONG.format(n=MAX_BODY)})
    if _TAG.search(text):
        raise ValidationError({field: HTML_REFUSED})
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    safe = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return text, safe
