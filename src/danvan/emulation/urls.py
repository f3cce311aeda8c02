from django.urls import path

from .views import contests, io, models, movements

app_name = "emulation"

urlpatterns = [
    path("", movements.movement_list, name="movements"),
    path("<int:movement_id>/", movements.movement_detail, name="movement"),
    path("<int:movement_id>/windows/", movements.window_open, name="window_open"),
    path("windows/<int:window_id>/close/", movements.window_close, name="window_close"),
    path("<int:movement_id>/dashboard/", movements.dashboard, name="dashboard"),
    path("<int:movement_id>/models/", models.model_list, name="models"),
    path("<int:movement_id>/models/new/", models.model_register, name="model_register"),
    path("models/<int:model_id>/", models.model_detail, name="model"),
    path("models/<int:model_id>/progress/", models.model_progress, name="model_progress"),
    path("models/<int:model_id>/state/", models.model_state, name="model_state"),
    path("models/<int:model_id>/evaluate/", models.model_evaluate, name="model_evaluate"),
    path("models/<int:model_id>/recognize/", models.model_recognize, name="model_recognize"),
    path("models/<int:model_id>/commend/", models.model_commend, name="model_commend"),
    path("models/<int:model_id>/replicate/", models.model_replicate, name="model_replicate"),
    path("models/<int:model_id>/adopt/", models.model_adopt, name="model_adopt"),
    path("evidence/<int:evidence_id>/", models.evidence_download, name="evidence"),
    path("contests/", contests.contest_list, name="contests"),
    path("contests/<int:contest_id>/", contests.contest_detail, name="contest"),
    path("contests/<int:contest_id>/coverage/", contests.contest_coverage, name="contest_coverage"),
    path("contests/<int:contest_id>/entries/", contests.entry_submit, name="entry_submit"),
    path("rounds/<int:round_id>/close/", contests.round_close, name="round_close"),
    path("scores/<int:participant_id>/", contests.team_score, name="team_score"),
    path("<int:movement_id>/models/export/", io.models_export, name="models_export"),
    path(
        "<int:movement_id>/dashboard/export/",
        io.dashboard_export,
        name="dashboard_export",
    ),
    path("<int:movement_id>/import/", io.import_registrations, name="import"),
    path("<int:movement_id>/import/template/", io.import_template, name="import_template"),
    path("<int:movement_id>/import/confirm/", io.import_confirm, name="import_confirm"),
]

# The organizers' pages (views_manage): creating movements and contests, their settings,
# editing a model, reporting an adoption's progress.
urlpatterns += [
    path("new/", movements.movement_create, name="movement_create"),
    path("<int:movement_id>/theme/", movements.theme_set, name="theme_set"),
    path("<int:movement_id>/criteria/new/", movements.criterion_add, name="criterion_add"),
    path("<int:movement_id>/labels/new/", movements.label_add, name="label_add"),
    path("contests/new/", contests.contest_create, name="contest_create"),
    path("contests/<int:contest_id>/teams/new/", contests.team_add, name="team_add"),
    path("contests/<int:contest_id>/judges/new/", contests.judge_add, name="judge_add"),
    path("contests/<int:contest_id>/prizes/new/", contests.prize_award, name="prize_award"),
    path(
        "contests/<int:contest_id>/coverage/rule/",
        contests.coverage_rule_set,
        name="coverage_rule_set",
    ),
    path("models/<int:model_id>/edit/", models.model_edit, name="model_edit"),
    path(
        "models/<int:model_id>/adoptions/",
        models.adoption_reports,
        name="adoption_reports",
    ),
    path(
        "adoptions/<int:adoption_id>/report/",
        models.adoption_report,
        name="adoption_report",
    ),
]

# Downloads of a contest's lists (views_contest_io): a round's ranking, entries, coverage.
urlpatterns += [
    path(
        "contests/<int:contest_id>/rounds/<int:round_id>/export/",
        io.ranking_export,
        name="ranking_export",
    ),
    path(
        "contests/<int:contest_id>/entries/export/",
        io.entries_export,
        name="entries_export",
    ),
    path(
        "contests/<int:contest_id>/coverage/export/",
        io.coverage_export,
        name="coverage_export",
    ),
]
