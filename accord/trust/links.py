"""Opaque, single-use answer links for survey invitees (issue 10, item 7).

A code is 32 random bytes (``secrets.token_urlsafe``): it decodes to nothing, and only its
SHA-256 is stored, on the ``Invitee``. It is single-purpose (only the answer page and
``POST …/surveys/answers`` look codes up, only among invitees), expires when the round closes
(rounds last at most 90 days), is replaced by each new e-mail and cleared once the invitee has
answered, so it works once.

The e-mailed link carries the code in the URL *fragment* (``…/surveys/answer/#t=CODE``), which
browsers never send to the server: the page's script (static/accord/answer-link.js) moves it into
a form and POSTs it, so it appears in no request line, access log or Referer header."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.partnerships.models import hash_secret
from accord.trust.models import Invitee

LINK_INVALID = (
    "This survey link is not valid: it has been used already, or a newer e-mail replaced it. "
    "Use the latest link from your e-mail."
)
FRAGMENT = "#t="


def issue_codes(invitees: Sequence[Invitee]) -> dict[int, str]:
    """A fresh code per invitee (invitee id → code); earlier codes of theirs stop working.
    The codes themselves are returned once, for the e-mails, and kept nowhere."""
    codes = {}
    for invitee in invitees:
        code = secrets.token_urlsafe(32)
        invitee.token_hash = hash_secret(code)
        codes[invitee.pk] = code
    Invitee.objects.bulk_update(list(invitees), ["token_hash"], batch_size=500)
    return codes


def answer_path(partnership_id: int) -> str:
    """The answer page: the same for everyone of a partnership, with no code in it."""
    return reverse("trust:answer", kwargs={"pk": partnership_id})


def answer_link(partnership_id: int, code: str) -> str:
    """Path and fragment for an e-mail: the code rides in the fragment, never in the path."""
    return answer_path(partnership_id) + FRAGMENT + code


def invitee_for_code(code: str, *, partnership_id: int | None = None) -> Invitee:
    """The invitee a code was issued to; the same error for a wrong, reissued or used code."""
    code = (code or "").strip()
    if code.startswith(FRAGMENT[1:]):  # pasted with its "t=" from the link
        code = code[len(FRAGMENT) - 1 :]
    if not code or len(code) > 200:
        raise ValidationError(LINK_INVALID)
    invitee = (
        Invitee.objects.select_related("round__partnership", "round__instrument", "party", "user")
        .filter(token_hash=hash_secret(code))
        .first()
    )
    if invitee is None or (
        partnership_id is not None and invitee.round.partnership_id != partnership_id
    ):
        raise ValidationError(LINK_INVALID)
    return invitee
