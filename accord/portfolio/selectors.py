"""Reading the portfolio: every partnership the viewer's organization belongs to (and the viewer
may read), with its STORED health, alerts and trust stage. Nothing is scored here.

A page costs a fixed number of queries whatever the portfolio's size: one count, one for the
page's partnerships (filtered and sorted in the database), then one per kind of detail for the
page's ids only (health, alerts, stage, last activity, partners)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accord.domain.health import GROUPS
from accord.health.models import Alert, HealthScore
from accord.partnerships.access import ROLES_FOR, Need, is_org_admin, user_organization
from accord.partnerships.audit import INTERNAL, AuditEvent
from accord.partnerships.models import Organization, Partnership, Party
from accord.portfolio.kept_details import kept_details
from accord.portfolio.models import TrustStageSnapshot

# Health bands of the overall index (0–100); documented in docs/portfolio.md.
BANDS = {
    "good": ("Good", 70.0, None),
    "watch": ("Watch", 50.0, 70.0),
    "poor": ("Poor", None, 50.0),
}
NO_EVIDENCE = "none"
BAND_CHOICES = [(k, label) for k, (label, _lo, _hi) in BANDS.items()] + [
    (NO_EVIDENCE, "No evidence yet")
]
STAGE_ORDER = [s for s, _label in TrustStageSnapshot.Stage.choices]
STATUS_ORDER = [s for s, _label in Partnership.Status.choices]
SORTS = ("name", "health", "trend", "alerts", "stage", "status", "activity")
SUBSCORES = tuple(str(g) for g in GROUPS)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = ""
    stage: str = ""
    alerts: str = ""  # "yes" | "no" | ""
    band: str = ""
    sort: str = "name"
    descending: bool = False


@dataclass
class Row:
    """One partnership as the portfolio shows it; health fields are None without evidence."""

    partnership: Partnership
    partners: list[str] = field(default_factory=list)
    overall: float | None = None
    subscores: dict[str, float | None] = field(default_factory=dict)
    trend: float | None = None
    week: date | None = None
    computed_at: datetime | None = None
    active_alerts: int = 0
    stage: str = ""
    stage_judged_at: datetime | None = None
    last_activity: datetime | None = None

    @property
    def fingerprint(self) -> str:
        """Everything the row's markup shows, and the time zone its times are shown in: the key
        under which the page keeps the row's rendered HTML, so a row is rendered again exactly
        when one of them changes (the language is added by the template)."""
        p = self.partnership
        return repr(
            (
                p.pk,
                p.name,
                p.status,
                self.partners,
                self.overall,
                list(self.subscores.items()),
                self.trend,
                self.computed_at,
                self.active_alerts,
                self.stage,
                self.last_activity,
                timezone.get_current_timezone_name(),
            )
        )

    @property
    def band(self) -> str:
        return band_of(self.overall)

    @property
    def band_label(self) -> str:
        return dict(BAND_CHOICES)[self.band]

    @property
    def stage_label(self) -> str:
        return str(dict(TrustStageSnapshot.Stage.choices).get(self.stage, ""))

    @property
    def trend_words(self) -> str:
        return trend_words(self.trend)

    @property
    def trend_arrow(self) -> str:
        if self.trend is None:
            return ""
        change = round(self.trend, 1)
        return "↑" if change > 0 else "↓" if change < 0 else "→"


def band_of(overall: float | None) -> str:
    if overall is None:
        return NO_EVIDENCE
    for key, (_label, low, high) in BANDS.items():
        if (low is None or overall >= low) and (high is None or overall < high):
            return key
    return NO_EVIDENCE  # pragma: no cover — the bands cover every number


def trend_words(trend: float | None) -> str:
    """The change of the overall index since the previous stored week, in words."""
    if trend is None:
        return "no earlier week to compare"
    change = round(trend, 1)
    if change > 0:
        return f"up {change:g} since the previous week"
    if change < 0:
        return f"down {-change:g} since the previous week"
    return "unchanged since the previous week"


def organization_of(viewer: Any) -> Organization | None:
    return user_organization(viewer)


def scope(*, viewer: Any) -> QuerySet[Partnership]:
    """The partnerships of the viewer's organization the viewer may read — the Health tab's
    rule (Need.READ) — and no other.

    Equivalent to the access layer's ``reader_partnerships`` restricted to the organization's
    partnerships, written as two plain joins (no OR across joins) so that the count and the sort
    stay index scans at thousands of partnerships: an admin of a party organization reads every
    one of them; anyone else those where they take part in a reading role."""
    org = user_organization(viewer)
    if org is None:
        return Partnership.objects.none()
    mine = Partnership.objects.filter(parties__organization=org)
    if is_org_admin(viewer, org):
        return mine
    return mine.filter(participants__user=viewer, participants__role__in=ROLES_FOR[Need.READ])


def _latest_health(column: str) -> Subquery:
    return Subquery(
        HealthScore.objects.filter(partnership=OuterRef("pk"), latest=True).values(column)[:1]
    )


def _active_alert_count() -> Coalesce:
    counted = (
        Alert.objects.filter(partnership=OuterRef("pk"), state__in=Alert.ACTIVE)
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _joint_events() -> QuerySet[AuditEvent]:
    """The partnership's joint audit chain: what every party sees. The condition matches the
    partial unique index on (partnership, seq), so the latest event is one index probe."""
    return AuditEvent.objects.filter(partnership__isnull=False).exclude(visibility=INTERNAL)


def _last_activity() -> Subquery:
    return Subquery(
        _joint_events().filter(partnership=OuterRef("pk")).order_by("-seq").values("created_at")[:1]
    )


def _ordinal(column: str, order: list[str]) -> Case:
    return Case(
        *(When(**{column: value}, then=Value(i)) for i, value in enumerate(order)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def filtered(*, viewer: Any, filters: Filters) -> QuerySet[Partnership]:
    """The viewer's portfolio, filtered and sorted in the database (ties broken by name, id)."""
    qs = (
        scope(viewer=viewer)
        .select_related("portfolio_stage")
        .only("pk", "name", "status", "portfolio_stage__stage", "portfolio_stage__judged_at")
    )
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.stage:
        qs = qs.filter(portfolio_stage__stage=filters.stage)
    if filters.alerts:
        active = Exists(Alert.objects.filter(partnership=OuterRef("pk"), state__in=Alert.ACTIVE))
        qs = qs.filter(active if filters.alerts == "yes" else ~active)
    if filters.band or filters.sort == "health":
        qs = qs.annotate(overall=_latest_health("overall"))
    if filters.band == NO_EVIDENCE:
        qs = qs.filter(overall__isnull=True)
    elif filters.band in BANDS:
        _label, low, high = BANDS[filters.band]
        if low is not None:
            qs = qs.filter(overall__gte=low)
        if high is not None:
            qs = qs.filter(overall__lt=high)
    key: Any
    if filters.sort == "health":
        key = F("overall")
    elif filters.sort == "trend":
        qs = qs.annotate(trend=_latest_health("trend"))
        key = F("trend")
    elif filters.sort == "alerts":
        qs = qs.annotate(active_alerts=_active_alert_count())
        key = F("active_alerts")
    elif filters.sort == "stage":
        key = _ordinal("portfolio_stage__stage", STAGE_ORDER)
    elif filters.sort == "status":
        key = _ordinal("status", STATUS_ORDER)
    elif filters.sort == "activity":
        qs = qs.annotate(last_activity=_last_activity())
        key = F("last_activity")
    else:
        return qs.order_by(F("name").desc() if filters.descending else "name", "pk")
    ordered = key.desc(nulls_last=True) if filters.descending else key.asc(nulls_last=True)
    return qs.order_by(ordered, "name", "pk")


def rows(
    partnerships: Sequence[Partnership] | QuerySet[Partnership], *, viewer_org_id: int | None
) -> list[Row]:
    """Rows for partnerships already scoped and ordered: one query per kind of detail, or, for
    a page of them seen before in the same state, one fingerprint query (``kept_details``). The
    partners listed are the other organizations (the viewer's own is every row's)."""
    page = list(partnerships)
    ids: Iterable[int] | QuerySet[Any] = [p.pk for p in page]
    if isinstance(partnerships, QuerySet) and len(page) > 500:
        ids = partnerships.order_by().values("pk")  # a subquery: no huge IN list
        found = details(ids, viewer_org_id=viewer_org_id)
    else:
        found = kept_details([p.pk for p in page], viewer_org_id=viewer_org_id, read=details)
    out = []
    for p in page:
        # Copies: the kept lists and dicts are shared by every request that reads them.
        fields = {k: copy(v) for k, v in found.get(p.pk, {}).items()}
        row = Row(partnership=p, **fields)
        snapshot = getattr(p, "portfolio_stage", None)  # joined by `filtered`
        if snapshot is not None:
            row.stage, row.stage_judged_at = snapshot.stage, snapshot.judged_at
        out.append(row)
    return out


def details(
    ids: Iterable[int] | QuerySet[Any], *, viewer_org_id: int | None
) -> dict[int, dict[str, Any]]:
    """Per partnership: its stored health, active alerts, last joint activity and partners,
    as ``Row`` fields (absent ones keep the row's defaults). Four queries."""
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    for score in HealthScore.objects.filter(partnership_id__in=ids, latest=True).only(
        "partnership_id", "period_start", "overall", "trend", "computed_at", *SUBSCORES
    ):
        out[score.partnership_id].update(
            overall=score.overall,
            trend=score.trend,
            week=score.period_start,
            computed_at=score.computed_at,
            subscores={g: getattr(score, g) for g in SUBSCORES},
        )
    counts = (
        Alert.objects.filter(partnership_id__in=ids, state__in=Alert.ACTIVE)
        .order_by()
        .values_list("partnership_id")
        .annotate(n=Count("pk"))
    )
    for pid, n in counts:
        out[pid]["active_alerts"] = n
    activity = (
        _joint_events()
        .filter(partnership_id__in=ids)
        .order_by()
        .values_list("partnership_id")
        .annotate(last=Max("created_at"))
    )
    for pid, last in activity:
        out[pid]["last_activity"] = last
    for pid, org_id, name in (
        Party.objects.filter(partnership_id__in=ids)
        .order_by("joined_at", "pk")
        .values_list("partnership_id", "organization_id", "organization__name")
    ):
        if org_id != viewer_org_id:
            out[pid].setdefault("partners", []).append(name)
    return dict(out)


def newest_computation(page_rows: Iterable[Row]) -> datetime | None:
    times = [r.computed_at for r in page_rows if r.computed_at is not None]
    return max(times) if times else None


def oldest_computation(page_rows: Iterable[Row]) -> datetime | None:
    times = [r.computed_at for r in page_rows if r.computed_at is not None]
    return min(times) if times else None
