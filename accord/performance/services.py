"""Writes for performance management. Each service validates, saves and records its audit event
in one transaction; internal metrics keep their events internal too."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q

from accord.charts import period_label
from accord.imports.audit import AudienceCount, record_import_events
from accord.imports.engine import ImportReport, run_import
from accord.partnerships.access import check_ownership_change, user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership, Party, Visibility
from accord.performance import parsing
from accord.performance.feeds import FED_METRIC, FEED_NOT_RELATIONSHIP
from accord.performance.models import CatalogMetric, Category, Direction, Metric, Observation

NO_ORGANIZATION = "You need to belong to an organization to define metrics."
NOT_A_PARTY = "The owner party must be a party to this partnership."
INTERNAL_OWNER = "An internal metric must be owned by your own organization's party."
TARGET_NOT_POSITIVE = (
    "The target must be above zero so attainment can be a ratio; express 'zero defects' as a "
    "small positive target."
)
THRESHOLDS_HIGHER = "When higher is better, the red threshold ≤ the amber threshold ≤ the target."
THRESHOLDS_LOWER = "When lower is better, the red threshold ≥ the amber threshold ≥ the target."
NOT_FINITE = "Use a finite number."
CODE_TAKEN = "This partnership already has a metric with the code '{code}'."
ALREADY_ADOPTED = "This partnership already tracks '{name}' (code '{code}')."
METRIC_IN_USE = "This metric is referenced by review actions; close or reassign them first."
TOO_MANY_ROWS = "Send at most {n} observations per request."
BULK_LIMIT = 100_000

METRIC_FIELDS = (
    "code",
    "name",
    "category",
    "description",
    "unit",
    "direction",
    "target",
    "amber_threshold",
    "red_threshold",
    "cadence",
    "owner_party",
    "visibility",
    "feed",
)


def threshold_errors(
    *, direction: str, target: float, amber_threshold: float, red_threshold: float
) -> dict[str, str]:
    """Field → message for thresholds that contradict the direction (the domain's rule)."""
    errors: dict[str, str] = {}
    for name, value in (
        ("target", target),
        ("amber_threshold", amber_threshold),
        ("red_threshold", red_threshold),
    ):
        if value is None or value != value or value in (float("inf"), float("-inf")):
            errors[name] = NOT_FINITE
    if errors:
        return errors
    if target <= 0:
        errors["target"] = TARGET_NOT_POSITIVE
    if direction == Direction.HIGHER and not red_threshold <= amber_threshold <= target:
        errors["amber_threshold"] = THRESHOLDS_HIGHER
    if direction == Direction.LOWER and not red_threshold >= amber_threshold >= target:
        errors["amber_threshold"] = THRESHOLDS_LOWER
    return errors


def _validate(partnership: Partnership, user: Any, fields: Mapping[str, Any], pk: Any) -> None:
    errors = threshold_errors(
        direction=fields["direction"],
        target=fields["target"],
        amber_threshold=fields["amber_threshold"],
        red_threshold=fields["red_threshold"],
    )
    party: Party = fields["owner_party"]
    if party.partnership_id != partnership.pk:
        errors["owner_party"] = NOT_A_PARTY
    elif fields["visibility"] == Visibility.INTERNAL and party.organization_id != getattr(
        user_organization(user), "pk", None
    ):
        errors["owner_party"] = INTERNAL_OWNER
    if fields.get("feed") and fields.get("category") != Category.RELATIONSHIP:
        errors["feed"] = FEED_NOT_RELATIONSHIP
    if code_taken(partnership=partnership, user=user, code=fields["code"], pk=pk) is not None:
        errors["code"] = CODE_TAKEN.format(code=fields["code"])
    if errors:
        raise ValidationError(errors)


def code_taken(*, partnership: Partnership, user: Any, code: str, pk: Any = None) -> Metric | None:
    """The metric the user can see that already has this code, if any.

    Only metrics the chooser can see (joint ones and its own organization's internal ones) may
    refuse a code: refusing because of another party's internal metric would reveal it. So a
    joint code may equal another party's internal code; that party's imports then resolve the
    code to its own internal metric (`parsing.metric_lookup`).
    """
    org = user_organization(user)
    own_internal = Q(visibility=Visibility.INTERNAL, owner_org=org) if org else Q(pk__in=[])
    return (
        Metric.objects.filter(partnership=partnership, code=code)
        .filter(Q(visibility=Visibility.JOINT) | own_internal)
        .exclude(pk=pk)
        .first()
    )


def _audit(
    metric: Metric, user: Any, action: str, summary: str, *, joint: bool = False, **extra: Any
) -> None:
    """An event as visible as its metric; `joint` for a change every party saw happen (a joint
    metric made internal disappears from the other parties' view: they are told why)."""
    record_event(
        partnership=metric.partnership,
        actor=user,
        action=f"performance.{action}",
        summary=summary,
        target=metric,
        owner_org=metric.owner_org,
        visibility=Visibility.JOINT if joint else metric.visibility,
        **extra,
    )


@transaction.atomic
def metric_create(*, partnership: Partnership, user: Any, **fields: Any) -> Metric:
    org = user_organization(user)
    if org is None:
        raise ValidationError(NO_ORGANIZATION)
    fields = {name: fields[name] for name in (*METRIC_FIELDS, "catalog_key") if name in fields}
    fields.setdefault("visibility", Visibility.JOINT)
    _validate(partnership, user, fields, None)
    metric = Metric.objects.create(
        partnership=partnership, owner_org=org, created_by=user, **fields
    )
    _audit(metric, user, "metric_create", f"Metric {metric.name} defined")
    return metric


@transaction.atomic
def metric_update(*, metric: Metric, user: Any, **fields: Any) -> Metric:
    metric = Metric.objects.select_for_update().get(pk=metric.pk)
    merged = {name: fields.get(name, getattr(metric, name)) for name in METRIC_FIELDS}
    check_ownership_change(user, metric, merged)
    _validate(metric.partnership, user, merged, metric.pk)
    changes = {
        name: [str(getattr(metric, name)), str(value)]
        for name, value in merged.items()
        if getattr(metric, name) != value
    }
    for name, value in merged.items():
        setattr(metric, name, value)
    metric.save()
    if changes:
        was_joint = changes.get("visibility", [""])[0] == Visibility.JOINT
        _audit(
            metric,
            user,
            "metric_update",
            f"Metric {metric.name} changed",
            joint=was_joint,
            changes=changes,
        )
    return metric


@transaction.atomic
def metric_delete(*, metric: Metric, user: Any) -> None:
    _audit(metric, user, "metric_delete", f"Metric {metric.name} removed with its observations")
    try:
        with transaction.atomic():
            metric.delete()
    except ProtectedError:
        raise ValidationError(METRIC_IN_USE) from None


@transaction.atomic
def metric_adopt(
    *,
    partnership: Partnership,
    user: Any,
    entry: CatalogMetric,
    owner_party: Party,
    visibility: str = Visibility.JOINT,
) -> Metric:
    """Track a catalog metric: a copy the partnership then edits freely."""
    existing = code_taken(partnership=partnership, user=user, code=entry.key)
    if existing is not None:
        raise ValidationError(ALREADY_ADOPTED.format(name=existing.name, code=entry.key))
    return metric_create(
        partnership=partnership,
        user=user,
        code=entry.key,
        name=entry.name,
        category=entry.category,
        description=entry.description,
        unit=entry.unit,
        direction=entry.direction,
        target=entry.target,
        amber_threshold=entry.amber_threshold,
        red_threshold=entry.red_threshold,
        cadence=entry.cadence,
        owner_party=owner_party,
        visibility=visibility,
        catalog_key=entry.key,
    )


@transaction.atomic
def observation_record(
    *, metric: Metric, user: Any, period: date, value: float, note: str = ""
) -> tuple[Observation, bool]:
    """Record one value; the same (metric, period) again replaces it. Returns (obs, created)."""
    if metric.feed:
        raise ValidationError({"value": FED_METRIC})
    if not parsing.FIRST_YEAR <= period.year <= parsing.LAST_YEAR:
        raise ValidationError({"period": parsing.PERIOD_OUT_OF_RANGE})
    try:
        value = parsing.parse_value(repr(float(value)))
    except (TypeError, ValueError) as error:
        raise ValidationError({"value": str(error)}) from None
    previous = Observation.objects.filter(metric=metric, period=period).first()
    observation, created = Observation.objects.update_or_create(
        metric=metric, period=period, defaults={"value": value, "note": note}
    )
    was = "" if previous is None else f" (was {previous.value:g})"
    _audit(
        metric,
        user,
        "observation_record",
        f"{metric.name} for {period_label(period, metric.cadence, year=True)}: {value:g}{was}",
    )
    return observation, created


@transaction.atomic
def observation_delete(*, observation: Observation, user: Any) -> None:
    metric = observation.metric
    if metric.feed:
        raise ValidationError(FED_METRIC)
    _audit(
        metric,
        user,
        "observation_delete",
        f"{metric.name} for {period_label(observation.period, metric.cadence, year=True)} "
        f"removed ({observation.value:g})",
    )
    Observation.objects.filter(metric=metric, period=observation.period).delete()


def _as_table(rows: Iterable[Mapping[str, Any]]) -> Iterator[list[str]]:
    yield ["metric", "period", "value", "note"]
    for row in rows:
        value = row.get("value")
        yield [
            str(row.get("metric") or "").strip(),
            str(row.get("period") or "").strip(),
            "" if value is None else str(value).strip(),
            str(row.get("note") or "").strip(),
        ]


def observations_ingest(
    *, partnership: Partnership, user: Any, rows: list[Mapping[str, Any]]
) -> ImportReport:
    """Bulk ingest by API: the same engine, rules and fast path as a file import."""
    from accord.performance.importer import prepare

    if len(rows) > BULK_LIMIT:
        raise ValidationError(TOO_MANY_ROWS.format(n=BULK_LIMIT))
    write, check_row = prepare(partnership, user)
    from accord.performance.importer import COLUMNS, metric_audience

    counted = AudienceCount(write, metric_audience(partnership, user))

    def record(report: ImportReport) -> None:
        """Inside the import's transaction: the rows and their audit events commit together."""
        if report.imported:
            record_import_events(
                partnership=partnership,
                user=user,
                action="performance.observations_ingest",
                label="observations",
                counted=counted,
                source="by API",
            )

    return run_import(_as_table(rows), COLUMNS, counted, check_row=check_row, on_success=record)


def action_from_metric(
    *,
    partnership: Partnership,
    user: Any,
    metric: Metric,
    title: str,
    owner_party: Party,
    owner: Any,
    due_on: date,
) -> Any:
    """Create a review action about an off-target metric (accountability owns actions)."""
    from accord.accountability.services import review_action_create

    return review_action_create(
        partnership=partnership,
        user=user,
        title=title,
        owner_party=owner_party,
        owner=owner,
        due_on=due_on,
        metric=metric,
    )
