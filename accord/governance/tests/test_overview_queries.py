"""The decision-rights page reads a fixed number of queries however many domains, joint bodies
and proposals the partnership has."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.governance import services
from accord.governance.tests.helpers import domain, govern, participant


def _add(cast, n: int, offset: int) -> None:
    for i in range(offset, offset + n):
        services.domain_add(
            partnership=cast.partnership, user=cast.alice, label=f"Area {i}", description="."
        )
        services.joint_body_create(
            partnership=cast.partnership,
            user=cast.alice,
            name=f"Body {i}",
            mandate=".",
            quorum=1,
            members=[participant(cast, u) for u in (cast.alice, cast.bob)],
        )
        proposal = services.proposal_create(
            partnership=cast.partnership, user=cast.bob, domain=domain(cast), title=f"P {i}"
        )
        if i % 2:
            services.proposal_withdraw(proposal=proposal, user=cast.bob)


def _render(client, cast) -> tuple[int, str]:
    url = reverse("governance:overview", kwargs={"pk": cast.partnership.pk})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_matrix_query_count_does_not_grow_with_its_rows(
    cast, client, django_assert_max_num_queries
):
    govern(cast)
    client.force_login(cast.alice)
    _add(cast, 3, 0)
    small, page = _render(client, cast)
    assert "2 members, quorum 1" in page
    assert "2 open proposals" in page
    _add(cast, 6, 3)
    with django_assert_max_num_queries(small):
        large, page = _render(client, cast)
    assert large == small <= 18
    assert "5 open proposals" in page
