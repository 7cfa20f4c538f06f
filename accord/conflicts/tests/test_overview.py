"""The conflicts overview: the numbers and the filtered list."""

import re

from django.urls import reverse

from accord.conflicts import services


def raise_two(cast):
    first = services.issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Scope creep",
        description="Extra studies.",
        conflict_type="scope",
    )
    services.issue_raise(
        partnership=cast.partnership,
        user=cast.bea,
        title="Late samples",
        description="Two weeks late.",
        conflict_type="timing",
    )
    services.issue_escalate(issue=first, user=cast.amos, note="Stuck.")
    principle = cast.partnership.conflict_principles.get(title="The agreed work plan decides")
    services.issue_resolve(issue=first, user=cast.alice, principle=principle, resolution="CR.")


def test_the_overview_explains_its_numbers(cast, client):
    raise_two(cast)
    client.force_login(cast.bob)
    page = client.get(reverse("conflicts:overview", kwargs={"pk": cast.partnership.pk}))
    text = page.content.decode()
    assert "of 2 raised" in text
    assert "1 of 2 issues went above the first tier" in text
    figures = dict(
        (label, figure)
        for figure, label in re.findall(
            r'<span class="cfx-figure">([^<]*)</span><span class="cfx-label">([^<]*)</span>', text
        )
    )
    assert figures["escalation rate"] == "50%"  # read from its card, not anywhere on the page
    assert "Late samples" in text
    assert "Scope creep" not in text  # resolved: not in the default "open" list


def test_the_filter_returns_only_the_list_for_htmx(cast, client):
    raise_two(cast)
    client.force_login(cast.alice)
    url = reverse("conflicts:overview", kwargs={"pk": cast.partnership.pk})
    response = client.get(url, {"state": "resolved"}, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "<html" not in text
    assert "Scope creep" in text
    assert "Late samples" not in text


def test_an_unknown_filter_falls_back_to_open(cast, client):
    raise_two(cast)
    client.force_login(cast.alice)
    url = reverse("conflicts:overview", kwargs={"pk": cast.partnership.pk})
    assert "Late samples" in client.get(url, {"state": "<script>"}).content.decode()


def _add_issues(cast, n: int) -> None:
    for i in range(n):
        issue = services.issue_raise(
            partnership=cast.partnership,
            user=cast.amos if i % 2 else cast.bea,
            title=f"Issue {i}",
            description="Something.",
            conflict_type="scope",
            visibility="internal" if i % 3 == 0 else "joint",
        )
        if i % 2:
            services.issue_escalate(issue=issue, user=cast.amos, note="Stuck.")


def _queries(client, cast, state: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("conflicts:overview", kwargs={"pk": cast.partnership.pk})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"state": state})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_overview_query_count_does_not_grow_with_its_issues(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.amos)
    _add_issues(cast, 4)
    small = {state: _queries(client, cast, state) for state in ("open", "all")}
    _add_issues(cast, 8)
    for state in ("open", "all"):
        with django_assert_max_num_queries(small[state]):
            assert _queries(client, cast, state) == small[state] <= 20
