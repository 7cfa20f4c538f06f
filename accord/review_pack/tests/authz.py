from django.utils import timezone

from accord.testing.authz import api, web

LOGIN = 302
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)


def this_quarter(cast):
    today = timezone.localdate()
    return {"pk": cast.partnership.pk, "year": today.year, "quarter": (today.month - 1) // 3 + 1}


def api_quarter(cast):
    params = this_quarter(cast)
    return {"partnership_id": params.pop("pk"), **params}


EXPECTATIONS = [
    web("review_pack:index", params=lambda c: {"pk": c.partnership.pk}, anonymous=LOGIN, **READERS),
    web("review_pack:pdf", params=this_quarter, anonymous=LOGIN, **READERS),
    web("review_pack:markdown", params=this_quarter, anonymous=LOGIN, **READERS),
    api(
        "GET",
        "/partnerships/{partnership_id}/review-packs/{year}/{quarter}",
        params=api_quarter,
        **READERS,
    ),
]
