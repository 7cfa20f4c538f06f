from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.demo.cast import ARCHETYPES
from accord.demo.generator import load_portfolio, plan_portfolio
from accord.partnerships.audit import verify_chain
from accord.partnerships.models import Organization, Participant, Partnership

ANCHOR = date(2026, 11, 25)


def test_the_same_seed_plans_the_same_portfolio():
    assert plan_portfolio(40, seed=3) == plan_portfolio(40, seed=3)
    assert plan_portfolio(40, seed=3) != plan_portfolio(40, seed=4)


def test_every_archetype_appears_and_the_portfolio_scales():
    _orgs, specs = plan_portfolio(25, seed=1)
    assert len(specs) == 25
    assert {s.archetype for s in specs} == set(ARCHETYPES)


@pytest.mark.django_db
def test_the_demo_has_three_organizations_eight_partnerships_and_every_role():
    ctx = load_portfolio(8, seed=7, anchor=ANCHOR)
    assert Partnership.objects.count() == 8
    assert Organization.objects.count() >= 3
    assert set(Participant.objects.values_list("role", flat=True)) == set(Participant.Role)
    assert {lp.archetype for lp in ctx.partnerships} == set(ARCHETYPES)
    for lp in ctx.partnerships:
        assert verify_chain(partnership_id=lp.partnership.pk) is None


@pytest.mark.django_db
def test_the_command_loads_prints_logins_and_refuses_to_overwrite(capsys):
    call_command("accord_demo", "--partnerships", "30", "--seed", "2", "--anchor", "2026-11-25")
    out = capsys.readouterr().out
    assert "Loaded 30 partnerships" in out
    assert "hannah.keller@helix.example.com" in out
    with pytest.raises(CommandError, match="--reset"):
        call_command("accord_demo")
    call_command("accord_demo", "--if-empty")
    assert Partnership.objects.count() == 30
