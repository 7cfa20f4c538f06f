from django.urls import path

from accord.communication.views import action_links, concerns, notices, threads

app_name = "communication"
urlpatterns = [
    path("", threads.overview, name="overview"),
    path("threads/<int:thread_id>/", threads.thread, name="thread"),
    path(
        "threads/<int:thread_id>/attachments/<int:attachment_id>/",
        threads.attachment_download,
        name="attachment",
    ),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:notice_id>/answer/", notices.answer, name="notice_answer"),
    path("notices/<int:notice_id>/acknowledge/", notices.acknowledge, name="notice_acknowledge"),
    path("acknowledge/<str:token>/", notices.link_acknowledge, name="link_acknowledge"),
    path("act/consultation/<str:token>/", action_links.link_consultation, name="link_consultation"),
    path("act/stance/<str:token>/", action_links.link_stance, name="link_stance"),
    path("act/conflict/<str:token>/", action_links.link_conflict, name="link_conflict"),
    path("concerns/", concerns.concern_list, name="concerns"),
    path("concerns/anonymity/", concerns.anonymity, name="anonymity"),
    path("concerns/<int:concern_id>/", concerns.concern, name="concern"),
    path("concerns/<int:concern_id>/close/", concerns.close, name="concern_close"),
    path("concerns/<int:concern_id>/issue/", concerns.to_issue, name="concern_issue"),
]
