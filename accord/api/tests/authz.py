from accord.api.services import token_create
from accord.testing.authz import api, everyone, web


def alice_token(cast):
    token, _raw = token_create(user=cast.alice, name="alice's", days=5)
    return token


EXPECTATIONS = [
    web("token_list", **everyone(200, anonymous=302)),
    web(
        "token_revoke",
        method="POST",
        params=lambda c: {"token_id": alice_token(c).pk},
        owner=302,
        partner=404,
        outsider=404,
        observer=404,
        facilitator=404,
        anonymous=302,
    ),
    api("GET", "/me", **everyone(200, anonymous=401)),
    api("GET", "/tokens", **everyone(200, anonymous=401)),
    api("POST", "/tokens", body=lambda c: {"name": "ci"}, **everyone(201, anonymous=401)),
    api(
        "DELETE",
        "/tokens/{token_id}",
        params=lambda c: {"token_id": alice_token(c).pk},
        owner=200,
        partner=404,
        outsider=404,
        observer=404,
        facilitator=404,
    ),
]
