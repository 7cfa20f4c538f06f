from django.urls import path

from accord.partnerships.views import invitations, organizations, partnerships

urlpatterns = [
    path("", partnerships.home, name="home"),
    path("partnerships/", partnerships.partnership_list, name="partnership_list"),
    path("partnerships/new/", partnerships.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", partnerships.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path(
        "partnerships/<int:pk>/activity/",
        partnerships.partnership_activity,
        name="partnership_activity",
    ),
    path(
        "partnerships/<int:pk>/activity/export/",
        partnerships.partnership_activity_export,
        name="partnership_activity_export",
    ),
    path("partnerships/<int:pk>/invite/partner/", invitations.invite_party, name="invite_party"),
    path(
        "partnerships/<int:pk>/invite/participant/",
        invitations.invite_participant,
        name="invite_participant",
    ),
    path(
        "partnerships/<int:pk>/invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path(
        "organizations/<slug:slug>/",
        organizations.organization_detail,
        name="organization_detail",
    ),
]
