from accord.testing.authz import api, web

LOGIN = 302
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


EXPECTATIONS = [
    web("formation:overview", params=pk, anonymous=LOGIN, **READERS),
    api("GET", "/partnerships/{partnership_id}/formation", params=pid, **READERS),
]
