from django.urls import path

from accord.governance.views import bodies, charter, matrix, proposals, recommender

app_name = "governance"

urlpatterns = [
    path("", matrix.overview, name="overview"),
    path("setup/", matrix.setup, name="setup"),
    path("domains/add/", matrix.domain_add, name="domain_add"),
    path("domains/<int:domain_id>/edit/", matrix.domain_edit, name="domain_edit"),
    path("domains/<int:domain_id>/remove/", matrix.domain_remove, name="domain_remove"),
    path("recommender/", recommender.recommender, name="recommender"),
    path("domains/<int:domain_id>/scores/", recommender.domain_scores, name="domain_scores"),
    path("domains/<int:domain_id>/flags/", recommender.domain_flags, name="domain_flags"),
    path("domains/<int:domain_id>/accept/", recommender.domain_accept, name="domain_accept"),
    path("domains/<int:domain_id>/override/", recommender.domain_override, name="domain_override"),
    path("bodies/", bodies.bodies, name="bodies"),
    path("bodies/<int:body_id>/", bodies.body_edit, name="body_edit"),
    path("bodies/<int:body_id>/delete/", bodies.body_delete, name="body_delete"),
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/new/", proposals.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/stance/", proposals.proposal_stance, name="proposal_stance"),
    path(
        "proposals/<int:proposal_id>/request-input/",
        proposals.proposal_request_input,
        name="proposal_request_input",
    ),
    path("proposals/<int:proposal_id>/answer/", proposals.proposal_answer, name="proposal_answer"),
    path("proposals/<int:proposal_id>/decide/", proposals.proposal_decide, name="proposal_decide"),
    path(
        "proposals/<int:proposal_id>/withdraw/",
        proposals.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path("decision-speed/", proposals.decision_speed, name="decision_speed"),
    path("charter/", charter.charter, name="charter"),
    path("charter.md", charter.charter_markdown_export, name="charter_markdown"),
    path("charter.pdf", charter.charter_pdf_export, name="charter_pdf"),
    path("charter/sign/", charter.charter_sign, name="charter_sign"),
    path("settings/", charter.settings, name="settings"),
]
