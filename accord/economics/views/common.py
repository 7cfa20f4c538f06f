from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from accord.economics.forms import LedgerFilterForm
from accord.economics.selectors import LedgerFilter

PAGE_SIZE = 50


def go(request: HttpRequest, name: str, **kwargs: Any) -> HttpResponse:
    """Redirect; htmx requests are told to load the page instead of swapping it in."""
    url = reverse(name, kwargs=kwargs)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def where_from(form: LedgerFilterForm) -> LedgerFilter:
    """The filters that parsed; a bad one (a party of another partnership, a year 'abc') is
    dropped, so a hand-edited URL never gives an error page."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return LedgerFilter(
        party=data.get("party") or None,
        category=data.get("category") or "",
        status=data.get("status") or "",
        visibility=data.get("visibility") or "",
        year=data.get("year") or None,
    )


def today() -> date:
    return timezone.localdate()


def as_of_from(request: HttpRequest) -> date:
    """`?as_of=YYYY-MM-DD` shows the indices as they stood then; anything else means today."""
    raw = request.GET.get("as_of", "")
    try:
        chosen = date.fromisoformat(raw)
    except ValueError:
        return today()
    return chosen if date(1900, 1, 1) <= chosen <= date(2200, 12, 31) else today()
