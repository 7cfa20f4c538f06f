"""The demo tells each archetype's story through the ladder."""

from datetime import date

from accord.conflicts.signals import conflict_signals
from accord.demo.generator import load_portfolio


def test_each_archetype_has_its_conflict_story(db):
    ctx = load_portfolio(8, seed=7, anchor=date(2026, 11, 1))
    by_archetype: dict[str, list] = {}
    signals = conflict_signals([lp.partnership.pk for lp in ctx.partnerships])
    for lp in ctx.partnerships:
        by_archetype.setdefault(lp.archetype, []).append(signals[lp.partnership.pk])
    for healthy in by_archetype["healthy"]:
        assert healthy.open_issues == 0
        assert healthy.escalation_rate == 0.0
    for drifting in by_archetype["drifting"]:
        assert drifting.issues > max(h.issues for h in by_archetype["healthy"])
        assert drifting.highest_open_tier >= 4  # the latest issue sits in facilitation
        assert drifting.escalation_rate > 0.5
    recovering = by_archetype["recovering"][0]
    assert recovering.open_issues == 0
    assert recovering.escalated >= 1
