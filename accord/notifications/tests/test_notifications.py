from django.core import mail
from django.db import transaction

from accord.notifications.models import Notification
from accord.notifications.services import notify


def test_people_are_told_in_the_app_and_by_email(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(
            recipients=[cast.alice, cast.bob, cast.alice],
            kind="test",
            summary="A decision needs your approval",
            partnership=cast.partnership,
            url="/partnerships/",
        )
    assert Notification.objects.filter(recipient=cast.alice).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.alice.email, cast.bob.email])
    client.force_login(cast.alice)
    assert "A decision needs your approval" in client.get("/notifications/").content.decode()
    unread = client.get("/api/v1/notifications?unread=true").json()
    assert unread["count"] == 1
    assert client.post(
        "/api/v1/notifications/read", {}, content_type="application/json"
    ).json() == {"marked": 1}
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 0


def test_nobody_sees_anyone_elses_notifications(cast, client):
    with transaction.atomic():
        notify(recipients=[cast.alice], kind="test", summary="For Alice only", email=False)
    client.force_login(cast.bob)
    assert "For Alice only" not in client.get("/notifications/").content.decode()
    assert client.get("/api/v1/notifications").json()["count"] == 0
