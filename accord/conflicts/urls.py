from django.urls import path

from accord.conflicts.views import exits, issues, ladder, principles

app_name = "conflicts"
urlpatterns = [
    path("", issues.overview, name="overview"),
    path("issues/new/", issues.issue_new, name="issue_new"),
    path("issues/<int:issue_id>/", issues.issue_detail, name="issue_detail"),
    path("issues/<int:issue_id>/comment/", issues.issue_comment, name="issue_comment"),
    path("issues/<int:issue_id>/resolve/", issues.issue_resolve, name="issue_resolve"),
    path("issues/<int:issue_id>/escalate/", issues.issue_escalate, name="issue_escalate"),
    path("issues/<int:issue_id>/withdraw/", issues.issue_withdraw, name="issue_withdraw"),
    path("principles/for-type/", principles.principles_for_type, name="principles_for_type"),
    path("ladder/", ladder.ladder_page, name="ladder"),
    path("ladder/windows/", ladder.ladder_windows, name="ladder_windows"),
    path("ladder/owners/", ladder.ladder_owners, name="ladder_owners"),
    path("principles/", principles.principle_list, name="principles"),
    path("principles/<int:principle_id>/", principles.principle_edit, name="principle_edit"),
    path(
        "principles/<int:principle_id>/delete/",
        principles.principle_delete,
        name="principle_delete",
    ),
    path("exit/", exits.exit_plan, name="exit_plan"),
    path("exit/start/", exits.exit_start, name="exit_start"),
    path("exit/steps/", exits.exit_step_add, name="exit_step_add"),
    path("exit/steps/<int:step_id>/", exits.exit_step_update, name="exit_step_update"),
    path("exit/complete/", exits.exit_complete, name="exit_complete"),
]
