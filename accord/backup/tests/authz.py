"""Backup routes × personas: only an admin of the organization downloads its archive."""

from accord.testing.authz import api


def alder(cast):
    return {"slug": cast.org_a.slug}


EXPECTATIONS = [
    # Alice is Alder's admin; Oscar is an Alder member, not an admin; the others are elsewhere.
    api(
        "GET",
        "/organizations/{slug}/export",
        params=alder,
        owner=200,
        partner=404,
        outsider=404,
        observer=404,
        facilitator=404,
    ),
]
