"""The starter catalog: common alliance metrics per category, seeded into CatalogMetric.

Data, not code: a migration loads it once, and admins edit the rows afterwards. Each entry's
thresholds follow the domain's rule (higher is better: red ≤ amber ≤ target; lower: mirrored).
"""

from __future__ import annotations

# key, category, name, unit, direction, target, amber, red, cadence, description
STARTER: list[tuple[str, str, str, str, str, float, float, float, str, str]] = [
    ("joint-revenue", "financial", "Joint revenue", "EUR k", "higher", 1000, 900, 750, "quarterly",
     "Revenue booked through the partnership in the period."),
    ("cost-savings", "financial", "Cost savings realised", "EUR k", "higher", 250, 200, 150,
     "quarterly", "Savings both parties attribute to the partnership."),
    ("budget-variance", "financial", "Budget variance", "%", "lower", 5, 8, 12, "monthly",
     "Absolute deviation of joint spend from the agreed budget."),
    ("on-time-delivery", "operational", "On-time delivery", "%", "higher", 95, 90, 80, "monthly",
     "Deliveries or milestones met by their agreed date."),
    ("cycle-time", "operational", "Cycle time", "days", "lower", 30, 40, 55, "monthly",
     "Days from request to delivery for joint work items."),
    ("quality-defects", "operational", "Quality defects", "per 1000", "lower", 2, 4, 8,
     "monthly", "Defects or deviations found per thousand units or documents."),
    ("pipeline-milestones", "innovation", "Pipeline milestones reached", "count", "higher", 4, 3,
     2, "quarterly", "Stage gates or research milestones reached in the period."),
    ("joint-ideas", "innovation", "Joint ideas in evaluation", "count", "higher", 10, 7, 4,
     "quarterly", "New ideas from joint teams entering evaluation."),
    ("time-to-market", "innovation", "Time to market", "months", "lower", 18, 22, 28,
     "quarterly", "Months from project start to launch."),
    ("market-share", "market", "Market share in target segment", "%", "higher", 15, 12, 9,
     "quarterly", "Share of the target segment the partnership's offer holds."),
    ("new-customers", "market", "New customers won", "count", "higher", 20, 15, 10, "monthly",
     "Customers won through joint offers."),
    ("customer-satisfaction", "market", "Customer satisfaction", "NPS", "higher", 40, 30, 15,
     "quarterly", "Net promoter score of joint customers."),
    ("partner-satisfaction", "relationship", "Partner satisfaction", "score 1–5", "higher", 4.2,
     3.8, 3.2, "quarterly", "Mean answer to 'How satisfied are you with this partnership?'."),
    ("response-time", "relationship", "Response time to partner requests", "days", "lower", 2, 4,
     7, "monthly", "Median working days to answer the other party's requests."),
    ("escalations", "relationship", "Escalations opened", "count", "lower", 1, 2, 4, "quarterly",
     "Issues that had to be escalated beyond the working level."),
]  # fmt: skip


def starter_rows() -> list[dict[str, object]]:
    fields = [
        "key",
        "category",
        "name",
        "unit",
        "direction",
        "target",
        "amber_threshold",
        "red_threshold",
        "cadence",
        "description",
    ]
    return [dict(zip(fields, row, strict=True)) for row in STARTER]
