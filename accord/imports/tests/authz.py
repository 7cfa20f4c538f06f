from django.core.files.uploadedfile import SimpleUploadedFile

from accord.imports.models import ImportJob
from accord.partnerships.models import Visibility
from accord.testing.authz import api, web

CONTRIBUTORS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)


def alice_job(cast):
    job = ImportJob.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        visibility=Visibility.INTERNAL,
        created_by=cast.alice,
        kind="test",
        original_name="x.csv",
        file=SimpleUploadedFile("x.csv", b"a\n1\n"),
    )
    return {"pk": cast.partnership.pk, "job_id": job.pk}


def api_job(cast):
    params = alice_job(cast)
    return {"partnership_id": params["pk"], "job_id": params["job_id"]}


EXPECTATIONS = [
    # Bob (the other party) gets 404: an import job is internal to the uploader's organization.
    web("import_detail", params=alice_job, anonymous=302, **{**CONTRIBUTORS, "partner": 404}),
    # "nosuchkind" is unknown: contributors get 404 after access passes, like everyone else.
    web(
        "import_upload",
        params=lambda c: {"pk": c.partnership.pk, "kind": "nosuchkind"},
        anonymous=302,
        **{**CONTRIBUTORS, "owner": 404, "partner": 404},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/imports/{kind}",
        params=lambda c: {"partnership_id": c.partnership.pk, "kind": "nosuchkind"},
        body=lambda c: {"file": SimpleUploadedFile("x.csv", b"a\n1\n")},
        multipart=True,
        owner=400,
        partner=400,
        observer=404,
        facilitator=404,
        outsider=404,
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/import-jobs/{job_id}",
        params=api_job,
        **{**CONTRIBUTORS, "partner": 404},
    ),
]
