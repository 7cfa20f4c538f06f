"""Storage order tells nothing (issue 10, item 7): every submission rewrites the round's
answers in a random order with new keys, so SQLite's implicit rowid (or PostgreSQL's heap order,
which a dump follows) cannot be lined up with a web-server log of who answered when."""

from django.db import connection

from accord.trust import answer_storage, services
from accord.trust.models import Invitee, Response
from accord.trust.tests.helpers import open_round, staff


def storage_order(survey):
    """The round's answers in the order the database keeps them."""
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "values" FROM trust_response WHERE round_id = %s ORDER BY {physical}',  # noqa: S608
            [survey.pk],
        )
        rows = [row[0] for row in cursor.fetchall()]
    return [Response._meta.get_field("values").from_db_value(r, None, connection) for r in rows]


def answer(survey, invitee, number):
    """Respondent ``number``'s answers: the first two statements spell the number in base 7."""
    items = list(survey.instrument.items.all())
    values = {item.key: 4 for item in items}
    values[items[0].key] = 1 + number % 7
    values[items[1].key] = 1 + number // 7
    services.response_submit(
        invitee=invitee, answers={party.pk: values for party in services.rated_parties(invitee)}
    )


def number_of(values, survey):
    items = list(survey.instrument.items.all())
    return (values[items[0].key] - 1) + 7 * (values[items[1].key] - 1)


def invitees(cast, survey, count):
    return list(Invitee.objects.filter(round=survey).order_by("pk"))[:count]


def test_storage_order_is_the_shuffles_order_not_the_order_of_answering(cast, monkeypatch):
    staff(cast, cast.org_a, 4)
    survey = open_round(cast)

    def highest_first(rows):
        """A "shuffle" that puts the highest number first: the opposite of answering order."""
        rows.sort(key=lambda row: -number_of(row[2], survey))

    monkeypatch.setattr(answer_storage, "shuffle", highest_first)
    people = [i for i in invitees(cast, survey, 10) if i.party_id == cast.party_a.pk][:4]
    keys_before = set()
    for number, invitee in enumerate(people):
        answer(survey, invitee, number)
        keys_now = set(Response.objects.filter(round=survey).values_list("pk", flat=True))
        assert not keys_now & keys_before  # new random keys on every rewrite
        keys_before = keys_now
    order = [number_of(v, survey) for v in storage_order(survey)]
    assert order == [3, 2, 1, 0]


def test_answers_end_up_in_random_storage_order(cast):
    staff(cast, cast.org_a, 6)
    staff(cast, cast.org_b, 6)
    survey = open_round(cast)
    people = invitees(cast, survey, 12)
    for number, invitee in enumerate(people):
        answer(survey, invitee, number)
    order = [number_of(v, survey) for v in storage_order(survey)]
    assert sorted(order) == list(range(len(people)))
    # 12! orders are equally likely; the order of answering comes out once in 479 million.
    assert order != list(range(len(people)))
