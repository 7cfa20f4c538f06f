"""Own instruments by API and by import: created, versioned, listed and read; a malformed
definition gets a clear error and stores nothing (issue 15)."""

import io
import json

import pytest

from accord.domain.instruments.definition import (
    CONSTRUCT_WITHOUT_ITEMS,
    EMPTY_CATEGORY,
    HTML,
    POINTS_OUT_OF_RANGE,
    UNKNOWN_CONSTRUCT,
    definition_to_data,
    parse_definition,
)
from accord.imports.services import import_file
from accord.partnerships.audit import AuditEvent
from accord.trust.definitions import export_definition
from accord.trust.models import Instrument, Item
from accord.trust.tests.instrument_helpers import library_instrument, pulse

URL = "/api/v1/partnerships/{pk}/surveys/instruments"


def post(client, user, url, body):
    client.force_login(user)
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_a_manager_creates_an_instrument_and_the_partner_reads_its_wording(cast, client):
    url = URL.format(pk=cast.partnership.pk)
    created = post(client, cast.alice, url, pulse())
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 1
    assert created.json()["definition"] == definition_to_data(parse_definition(pulse()))
    client.force_login(cast.bob)
    read = client.get(f"{url}/pulse")
    assert read.status_code == 200
    assert read.json()["definition"]["items"][0]["text"] == ("{partner} shares bad news early.")
    listed = client.get(url, {"kind": "custom"})
    assert [(i["key"], i["version"]) for i in listed.json()] == [("pulse", 1)]


def test_a_new_version_leaves_the_earlier_one_as_it_was(cast, client):
    url = URL.format(pk=cast.partnership.pk)
    post(client, cast.alice, url, pulse())
    changed = pulse(name="Quarterly pulse, shorter")
    changed["items"] = changed["items"][:4]
    second = post(client, cast.alice, f"{url}/pulse/versions", changed)
    assert second.status_code == 201, second.content
    assert second.json()["version"] == 2
    first = client.get(f"{url}/pulse/versions/1").json()
    assert len(first["definition"]["items"]) == 5
    assert [v["version"] for v in second.json()["versions"]] == [2, 1]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d["items"][0].update(construct="trustworthiness"), "items[0].construct",
         UNKNOWN_CONSTRUCT.format(value="trustworthiness")),
        (lambda d: d["scale"].update(points=12), "scale.points", POINTS_OUT_OF_RANGE),
        (lambda d: d["categories"][1].update(constructs=[]), "categories[1]", EMPTY_CATEGORY),
        (lambda d: d["items"][1].update(text="<img src=x onerror=alert(1)>"), "items[1].text",
         HTML),
        (lambda d: d["items"][1].update(key="open.1"), "items[1].key",
         "the key 'open.1' is used twice."),
        (lambda d: d.update(items=[dict(d["items"][0], key=f"i{n}") for n in range(10_000)]),
         "items", "lists 10000; an instrument holds at most 300."),
    ],
)  # fmt: skip
def test_a_malformed_definition_is_refused_with_its_path_and_stores_nothing(
    cast, client, change, path, message
):
    body = pulse()
    change(body)
    instruments, items, events = (
        Instrument.objects.count(),
        Item.objects.count(),
        AuditEvent.objects.count(),
    )
    response = post(client, cast.alice, URL.format(pk=cast.partnership.pk), body)
    assert response.status_code == 400
    assert response.json()["code"] == "rejected"
    assert {"loc": [path], "msg": message} in response.json()["errors"]
    assert (Instrument.objects.count(), Item.objects.count(), AuditEvent.objects.count()) == (
        instruments,
        items,
        events,
    )


def test_built_in_keys_are_reserved(cast, client):
    response = post(client, cast.alice, URL.format(pk=cast.partnership.pk), pulse("accord-trust"))
    assert response.status_code == 400


def test_a_library_instrument_is_adopted_with_the_partnerships_own_numbering(cast, client):
    source = library_instrument(cast)
    url = URL.format(pk=cast.partnership.pk)
    adopted = post(client, cast.alice, f"{url}/adopt", {"library_instrument_id": source.pk})
    assert adopted.status_code == 201, adopted.content
    assert (adopted.json()["owner"], adopted.json()["version"]) == ("partnership", 1)
    again = post(client, cast.alice, f"{url}/adopt", {"library_instrument_id": source.pk})
    assert again.json()["version"] == 2
    client.force_login(cast.bob)
    assert client.get(f"/api/v1/organizations/{cast.org_a.slug}/instruments").status_code == 404


def sheet(definition_data):
    return io.BytesIO(export_definition(parse_definition(definition_data), "csv"))


def test_a_sheet_imports_as_an_instrument_through_the_import_engine(cast):
    report = import_file(
        partnership=cast.partnership,
        user=cast.alice,
        kind="instrument",
        stream=sheet(pulse()),
        filename="pulse.csv",
    )
    assert report.ok, report.errors
    stored = Instrument.objects.get(partnership=cast.partnership, key="pulse")
    assert stored.items.count() == 5


def test_a_bad_sheet_is_reported_by_row_and_stores_nothing(cast):
    text = sheet(pulse()).getvalue().decode().splitlines()
    bad = next(n for n, line in enumerate(text) if line.startswith("item,rel.1,"))
    text[bad] = text[bad].replace(",reliability,", ",nothing,")
    before = Instrument.objects.count()
    report = import_file(
        partnership=cast.partnership,
        user=cast.alice,
        kind="instrument",
        stream=io.BytesIO("\n".join(text).encode()),
        filename="pulse.csv",
    )
    assert not report.ok
    # The item's row names the unknown construct; the construct's row says it lost its item.
    construct_row = next(n for n, line in enumerate(text) if line.startswith("construct,reliab"))
    assert sorted((e.row, e.reason) for e in report.errors) == [
        (construct_row + 1, CONSTRUCT_WITHOUT_ITEMS.format(value="reliability")),
        (bad + 1, UNKNOWN_CONSTRUCT.format(value="nothing")),
    ]
    assert Instrument.objects.count() == before


def test_the_page_upload_saves_a_valid_file_and_reports_a_bad_one_by_row(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("trust:own_list", kwargs={"pk": cast.partnership.pk})
    client.force_login(cast.alice)
    good = export_definition(parse_definition(pulse()), "yaml")
    saved = client.post(url, {"file": SimpleUploadedFile("pulse.yaml", good)})
    assert saved.status_code == 302
    text = export_definition(parse_definition(pulse("other")), "csv").decode()
    bad = text.replace("item,val.2,We would start", "item,val.2,<b>We</b> would start").encode()
    before = Instrument.objects.count()
    refused = client.post(url, {"file": SimpleUploadedFile("other.csv", bad)})
    assert refused.status_code == 400
    row = next(n for n, line in enumerate(text.splitlines(), start=1) if "item,val.2," in line)
    assert refused.context["report"].errors[0].row == row
    assert refused.context["report"].errors[0].reason == HTML
    assert Instrument.objects.count() == before
