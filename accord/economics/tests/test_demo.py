from datetime import date, timedelta

from accord.demo.generator import load_portfolio
from accord.domain.economics import economic_indices
from accord.economics.models import ValueEntry
from accord.economics.selectors import portfolio_ledgers

ANCHOR = date(2026, 11, 25)


def test_the_demo_ledgers_tell_each_archetypes_story(db):
    ctx = load_portfolio(8, seed=7, anchor=ANCHOR)
    ids = [lp.partnership.pk for lp in ctx.partnerships]
    archetype = [lp.archetype for lp in ctx.partnerships]
    batch = portfolio_ledgers(ids)
    now = economic_indices(batch.ledgers, as_of=ANCHOR)
    year_ago = economic_indices(batch.ledgers, as_of=ANCHOR - timedelta(days=365))
    for i, kind in enumerate(archetype):
        first = now.parties_of(i)[0]
        if kind == "healthy":
            assert now.realized_imbalance[i] < 0.1
            assert now.hostage_balance[i] > 0.8
        if kind == "one_sided":
            # the first party puts in most and gets least; the other is late
            assert now.realized_imbalance[i] > 0.3
            assert now.realized_ratio[first] < 0.5
            assert now.bottleneck[i] != first
        if kind == "drifting":
            assert now.hostage_balance[i] < 0.5 < year_ago.hostage_balance[i]
        if kind == "transactional":
            assert now.committed[now.parties_of(i)].sum() < 2_000_000
    internal = ValueEntry.objects.filter(visibility="internal")
    assert internal.count() == sum(kind != "transactional" for kind in archetype)
