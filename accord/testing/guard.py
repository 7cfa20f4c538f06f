"""What the guard tests share: a small demo portfolio and the people who look at it.

The demo generator's first two partnerships give every persona the issue names: Helix's alliance
manager (in both), Northwind's and Cobalt's alliance managers (one partnership each), Helix's
read-only observer, and Bridgeway's neutral facilitator (in the Helix–Cobalt partnership).
"""

from __future__ import annotations

from datetime import date

from django.test import Client

from accord.demo.generator import load_portfolio
from accord.testing.crawl import Fetch

DEMO_ANCHOR = date(2026, 12, 1)
DEMO_PARTNERSHIPS = 2
GUARD_PERSONAS = {
    "helix-alliance-manager": "hannah.keller@helix.example.com",
    "northwind-alliance-manager": "daniel.moreau@northwind.example.com",
    "cobalt-alliance-manager": "elena.rossi@cobalt.example.com",
    "observer": "lena.fischer@helix.example.com",
    "facilitator": "amara.osei@bridgeway.example.com",
}


def load_guard_demo() -> None:
    load_portfolio(DEMO_PARTNERSHIPS, seed=7, anchor=DEMO_ANCHOR)


def client_fetch(client: Client) -> Fetch:
    """GET through Django's test client, following redirects; "sent to sign in" counts as 302."""

    def fetch(path: str) -> tuple[int, str, str]:
        response = client.get(path, follow=True)
        content_type = response.get("Content-Type", "")
        body = response.content.decode() if content_type.startswith("text/html") else ""
        if response.redirect_chain and response.request["PATH_INFO"].startswith("/accounts/"):
            return 302, content_type, body
        return response.status_code, content_type, body

    return fetch
