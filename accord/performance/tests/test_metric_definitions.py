import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Visibility
from accord.performance import services
from accord.performance.forms import MetricForm
from accord.performance.models import CatalogMetric, Metric

from .helpers import make_metric

BASE = dict(
    code="nps",
    name="Net promoter score",
    category="market",
    description="",
    unit="NPS",
    cadence="quarterly",
    visibility=Visibility.JOINT,
)


def create(cast, **fields):
    return services.metric_create(
        partnership=cast.partnership,
        user=cast.alice,
        owner_party=cast.party_a,
        **{**BASE, **fields},
    )


def test_a_higher_is_better_metric_needs_red_below_amber_below_target(cast):
    with pytest.raises(ValidationError) as error:
        create(cast, direction="higher", target=40, amber_threshold=45, red_threshold=20)
    assert services.THRESHOLDS_HIGHER in error.value.message_dict["amber_threshold"]
    metric = create(cast, direction="higher", target=40, amber_threshold=30, red_threshold=20)
    assert metric.pk


def test_a_lower_is_better_metric_needs_red_above_amber_above_target(cast):
    with pytest.raises(ValidationError) as error:
        create(cast, direction="lower", target=5, amber_threshold=4, red_threshold=8)
    assert services.THRESHOLDS_LOWER in error.value.message_dict["amber_threshold"]
    assert create(cast, direction="lower", target=5, amber_threshold=6, red_threshold=8).pk


def test_the_target_must_be_positive(cast):
    with pytest.raises(ValidationError) as error:
        create(cast, direction="lower", target=0, amber_threshold=1, red_threshold=2)
    assert services.TARGET_NOT_POSITIVE in error.value.message_dict["target"]


def test_the_database_refuses_thresholds_against_the_direction(cast):
    metric = make_metric(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Metric.objects.filter(pk=metric.pk).update(red_threshold=99)


def test_the_form_shows_threshold_errors_on_the_field(cast):
    form = MetricForm(
        {
            **BASE,
            "direction": "higher",
            "target": "10",
            "amber_threshold": "12",
            "red_threshold": "5",
            "owner_party": cast.party_a.pk,
        },
        partnership=cast.partnership,
        user=cast.alice,
    )
    assert not form.is_valid()
    assert form.errors["amber_threshold"] == [services.THRESHOLDS_HIGHER]


def test_codes_are_unique_within_a_partnership(cast):
    make_metric(cast, code="nps")
    with pytest.raises(ValidationError) as error:
        create(cast, direction="higher", target=40, amber_threshold=30, red_threshold=20)
    assert "code" in error.value.message_dict


def test_an_internal_metric_must_belong_to_the_own_party(cast):
    with pytest.raises(ValidationError) as error:
        services.metric_create(
            partnership=cast.partnership,
            user=cast.alice,
            owner_party=cast.party_b,
            **{**BASE, "visibility": Visibility.INTERNAL},
            direction="higher",
            target=40,
            amber_threshold=30,
            red_threshold=20,
        )
    assert error.value.message_dict["owner_party"] == [services.INTERNAL_OWNER]


def test_adopting_from_the_catalog_copies_the_definition_once(cast):
    entry = CatalogMetric.objects.get(key="on-time-delivery")
    metric = services.metric_adopt(
        partnership=cast.partnership, user=cast.bob, entry=entry, owner_party=cast.party_b
    )
    assert (metric.code, metric.target, metric.catalog_key) == ("on-time-delivery", 95, entry.key)
    assert metric.owner_org == cast.org_b
    with pytest.raises(ValidationError):
        services.metric_adopt(
            partnership=cast.partnership, user=cast.alice, entry=entry, owner_party=cast.party_a
        )


def test_the_starter_catalog_covers_all_five_categories(db):
    categories = set(CatalogMetric.objects.values_list("category", flat=True))
    assert categories == {"financial", "operational", "innovation", "market", "relationship"}


def test_internal_metric_events_stay_internal(cast):
    metric = make_metric(cast, internal=True)
    services.metric_update(metric=metric, user=cast.alice, target=97.0)
    event = AuditEvent.objects.get(action="performance.metric_update")
    assert event.visibility == Visibility.INTERNAL
    assert not AuditEvent.objects.visible_to(cast.bob).filter(pk=event.pk).exists()


def test_editing_on_the_page_saves_and_reports_errors(cast, client):
    metric = make_metric(cast)
    client.force_login(cast.bob)
    url = f"/partnerships/{cast.partnership.pk}/performance/metrics/{metric.pk}/edit/"
    data = {
        "code": "otif",
        "name": "OTIF",
        "category": "operational",
        "description": "",
        "unit": "%",
        "direction": "higher",
        "target": "96",
        "amber_threshold": "97",
        "red_threshold": "80",
        "cadence": "monthly",
        "owner_party": cast.party_a.pk,
        "visibility": "joint",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    assert services.THRESHOLDS_HIGHER in page.content.decode()
    assert client.post(url, {**data, "amber_threshold": "90"}).status_code == 302
    metric.refresh_from_db()
    assert (metric.name, metric.target) == ("OTIF", 96)
