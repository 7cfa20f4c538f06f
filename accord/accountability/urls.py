from django.urls import path

from accord.accountability.views import commitments, links, overview, reviews

app_name = "accountability"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("commitments/", commitments.commitment_list, name="commitments"),
    path("commitments/new/", commitments.commitment_new, name="commitment_new"),
    path(
        "commitments/<int:commitment_id>/",
        commitments.commitment_detail,
        name="commitment_detail",
    ),
    path(
        "commitments/<int:commitment_id>/edit/",
        commitments.commitment_edit,
        name="commitment_edit",
    ),
    path(
        "commitments/<int:commitment_id>/status/",
        commitments.commitment_status,
        name="commitment_status",
    ),
    path(
        "commitments/<int:commitment_id>/evidence/",
        commitments.commitment_evidence,
        name="commitment_evidence",
    ),
    path(
        "commitments/<int:commitment_id>/evidence/<int:evidence_id>/file/",
        commitments.evidence_download,
        name="evidence_download",
    ),
    path(
        "commitments/<int:commitment_id>/replan/",
        commitments.commitment_replan,
        name="commitment_replan",
    ),
    path(
        "commitments/<int:commitment_id>/consequences/",
        commitments.commitment_consequence,
        name="commitment_consequence",
    ),
    path(
        "commitments/<int:commitment_id>/escalate/",
        commitments.commitment_escalate,
        name="commitment_escalate",
    ),
    path(
        "commitments/<int:commitment_id>/send-link/",
        commitments.commitment_send_link,
        name="commitment_send_link",
    ),
    path(
        "commitments/<int:commitment_id>/monitoring/",
        commitments.monitoring_new,
        name="monitoring_new",
    ),
    path(
        "monitoring/<int:request_id>/answer/",
        commitments.monitoring_answer,
        name="monitoring_answer",
    ),
    path("on-time/", commitments.on_time, name="on_time"),
    path("oversight/", commitments.oversight, name="oversight"),
    path("reviews/", reviews.review_schedule, name="reviews"),
    path("reviews/calendar.ics", reviews.review_calendar, name="review_calendar"),
    path("reviews/new/", reviews.review_new, name="review_new"),
    path("reviews/cadences/new/", reviews.cadence_new, name="cadence_new"),
    path("reviews/cadences/<int:cadence_id>/end/", reviews.cadence_end, name="cadence_end"),
    path("reviews/<int:review_id>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:review_id>/minutes/", reviews.review_minutes, name="review_minutes"),
    path("reviews/<int:review_id>/cancel/", reviews.review_cancel, name="review_cancel"),
    path("reviews/<int:review_id>/actions/", reviews.review_action_new, name="review_action_new"),
    path("actions/", reviews.action_list, name="actions"),
    path("actions/<int:action_id>/done/", reviews.action_done, name="action_done"),
    path("actions/<int:action_id>/escalate/", reviews.action_escalate, name="action_escalate"),
    path("settings/", reviews.settings_edit, name="settings"),
    path("answer/<str:token>/", links.link_commitment, name="link_commitment"),
    path("answer-request/<str:token>/", links.link_monitoring, name="link_monitoring"),
]
