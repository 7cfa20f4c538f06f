"""Relationship metrics fed from registry rows, as a pure rule."""

from __future__ import annotations

from datetime import date

from accord.domain.metric_feeds import FedMetric, FeedRow, feed_values, period_of

A, B, P = 1, 2, 10


def row(week, signal, value, *, frm=A, to=B, weight=1.0, pid=P):
    return FeedRow(pid, date.fromisoformat(week), frm, to, signal, value, weight)


def test_periods_follow_the_metric_cadence():
    week = date(2026, 5, 25)
    assert period_of(week, "weekly") == week
    assert period_of(week, "monthly") == date(2026, 5, 1)
    assert period_of(week, "quarterly") == date(2026, 4, 1)


def test_trust_is_the_respondent_weighted_mean_of_trust_placed_in_the_owner_party():
    rows = [
        row("2026-05-04", "trust_goodwill", 5.0, frm=A, to=B, weight=3),
        row("2026-05-11", "trust_goodwill", 6.0, frm=A, to=B, weight=1),
        row("2026-05-11", "trust_goodwill", 2.0, frm=B, to=A, weight=4),  # trust in A: not B's
        row("2026-05-11", "trust_goodwill", 1.0, frm=A, to=B, weight=0),  # nothing published
    ]
    fed = feed_values(rows, [FedMetric(7, P, "trust_goodwill", B, "monthly")])
    assert fed == {7: {date(2026, 5, 1): 5.25}}


def test_conflict_frequency_sums_escalations_of_both_sides():
    rows = [row("2026-05-04", "escalations", 2.0), row("2026-05-18", "escalations", 1.0, frm=B)]
    fed = feed_values(rows, [FedMetric(1, P, "conflict_frequency", A, "monthly")])
    assert fed == {1: {date(2026, 5, 1): 3.0}}


def test_notice_kept_is_the_percentage_of_the_owner_partys_notices_not_short():
    rows = [
        row("2026-05-04", "short_notice_share", 0.5, frm=A, weight=2),
        row("2026-05-04", "short_notice_share", 0.0, frm=A, weight=2),
        row("2026-05-04", "short_notice_share", 1.0, frm=B, weight=5),
    ]
    fed = feed_values(rows, [FedMetric(1, P, "notice_kept", A, "weekly")])
    assert fed == {1: {date(2026, 5, 4): 75.0}}


def test_a_period_without_evidence_has_no_value_never_zero():
    rows = [row("2026-05-04", "reply_hours_median", 8.0, frm=B, pid=99)]
    fed = feed_values(rows, [FedMetric(1, P, "responsiveness", A, "weekly")])
    assert fed == {1: {}}
