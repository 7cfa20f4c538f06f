from accord.testing.authz import api, web

LOGIN = 302
# The portfolio is the viewer's own organization's: everyone signed in gets theirs (perhaps empty).
EVERYONE = dict(owner=200, partner=200, observer=200, facilitator=200, outsider=200)

EXPECTATIONS = [
    web("portfolio:portfolio", anonymous=LOGIN, **EVERYONE),
    web("portfolio:export", anonymous=LOGIN, **EVERYONE),
    api("GET", "/portfolio", **EVERYONE),
]
