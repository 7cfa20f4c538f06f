from accord.testing.authz import api, everyone, web

EXPECTATIONS = [
    web("notification_list", **everyone(200, anonymous=302)),
    web("notification_mark_all_read", method="POST", **everyone(302)),
    api("GET", "/notifications", **everyone(200, anonymous=401)),
    api("POST", "/notifications/read", body=lambda c: {}, **everyone(200, anonymous=401)),
]
