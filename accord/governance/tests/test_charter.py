"""The charter reads the matrix, bodies, ladder and principles; each party signs one version."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.governance import services
from accord.governance.charter import (
    NOT_CONFIGURED,
    build_charter,
    charter_markdown,
    charter_pdf,
    to_latin1,
)
from accord.governance.models import CharterSignoff
from accord.governance.tests.helpers import govern, set_mode, steering_committee


def test_the_markdown_charter_reads_the_matrix_bodies_and_ladder(cast, client):
    govern(cast)
    steering_committee(cast)
    set_mode(cast, "independent", key="ip", owner=cast.party_a)
    client.force_login(cast.bob)
    response = client.get(
        reverse("governance:charter_markdown", kwargs={"pk": cast.partnership.pk})
    )
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment" in response["Content-Disposition"]
    assert "| Intellectual property | Independent | Alder Pharma |" in text
    assert "Agreed in the kick-off workshop." in text
    assert "### Joint Steering Committee" in text
    assert "Quorum: 2 of 4 members." in text
    assert "## Escalation ladder" in text
    assert "## Principles for resolving conflicts" in text
    assert "- Birch Bio: not signed yet" in text


def test_the_ladder_and_principles_come_from_the_conflicts_app(cast):
    govern(cast)
    text = charter_markdown(build_charter(partnership=cast.partnership))
    try:
        from accord.conflicts.selectors import ladder, principles
    except ImportError:
        assert text.count(NOT_CONFIGURED) == 2
    else:
        tiers = ladder(partnership=cast.partnership)
        assert all(t.label in text for t in tiers)
        assert all(p.title in text for p in principles(partnership=cast.partnership))


def test_the_pdf_renders_with_and_without_a_unicode_font(cast, client, tmp_path):
    govern(cast)
    client.force_login(cast.alice)
    response = client.get(reverse("governance:charter_pdf", kwargs={"pk": cast.partnership.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    fallback = charter_pdf(
        build_charter(partnership=cast.partnership), font_path=tmp_path / "missing.ttf"
    )
    assert fallback.startswith(b"%PDF")


def test_text_is_folded_to_latin1_for_core_fonts():
    assert to_latin1("Alder–Birch “alliance” → Zürich Łódź ≥ 3") == (
        'Alder-Birch "alliance" -> Zürich Lódz >= 3'
    )


def test_each_partys_approver_signs_one_version(cast, client):
    govern(cast)
    services.charter_sign(partnership=cast.partnership, user=cast.alice)
    with pytest.raises(ValidationError) as caught:
        services.charter_sign(partnership=cast.partnership, user=cast.ava)
    assert services.ALREADY_SIGNED in caught.value.messages
    with pytest.raises(ValidationError) as caught:
        services.charter_sign(partnership=cast.partnership, user=cast.bea)
    assert services.SIGN_NOT_APPROVER in caught.value.messages
    services.charter_sign(partnership=cast.partnership, user=cast.bob)
    client.force_login(cast.bob)
    page = client.get(reverse("governance:charter", kwargs={"pk": cast.partnership.pk}))
    assert page.content.decode().count("signed by") == 2


def test_a_change_to_the_charter_shows_earlier_signoffs_as_outdated(cast, client):
    govern(cast)
    services.charter_sign(partnership=cast.partnership, user=cast.alice)
    set_mode(cast, "independent", key="ip", owner=cast.party_a)
    client.force_login(cast.alice)
    page = client.get(reverse("governance:charter", kwargs={"pk": cast.partnership.pk}))
    assert "signed an earlier version" in page.content.decode()
    services.charter_sign(partnership=cast.partnership, user=cast.alice)
    assert CharterSignoff.objects.filter(party=cast.party_a).count() == 2
