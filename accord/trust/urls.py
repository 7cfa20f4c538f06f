from django.urls import path

from accord.trust.views import answer, instruments, own_instruments, results, rounds

app_name = "trust"
urlpatterns = [
    path("", results.overview, name="overview"),
    path("stage/", results.stage, name="stage"),
    path("stage/rules/", instruments.stage_rules, name="stage_rules"),
    path("export.csv", results.export_csv, name="export"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:round_id>/", results.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:round_id>/delete/", rounds.round_delete, name="round_delete"),
    path("rounds/<int:round_id>/respond/", answer.respond, name="respond"),
    path("answer/", answer.answer, name="answer"),
    path("questionnaires/", instruments.instrument_list, name="instrument_list"),
    path("questionnaires/<slug:key>/", instruments.instrument_detail, name="instrument_detail"),
    path("questionnaires/<slug:key>/add/", instruments.item_edit, name="item_add"),
    path("questionnaires/<slug:key>/<str:item_key>/edit/", instruments.item_edit, name="item_edit"),
    path(
        "questionnaires/<slug:key>/<str:item_key>/remove/",
        instruments.item_remove,
        name="item_remove",
    ),
]
urlpatterns += [
    path("instruments/", own_instruments.own_list, name="own_list"),
    path("instruments/adopt/<int:instrument_id>/", own_instruments.own_adopt, name="own_adopt"),
    path("instruments/<slug:key>/", own_instruments.own_detail, name="own_detail"),
    path(
        "instruments/<slug:key>/results.csv",
        own_instruments.own_results_csv,
        name="own_results_csv",
    ),
    path(
        "instruments/<slug:key>/definition.<str:fmt>",
        own_instruments.own_export,
        name="own_export",
    ),
]
