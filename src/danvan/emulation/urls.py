from django.urls import path

from . import views, views_contest_io, views_io, views_manage

app_name = "emulation"

urlpatterns = [
    path("", views.movement_list, name="movements"),
    path("<int:movement_id>/", views.movement_detail, name="movement"),
    path("<int:movement_id>/windows/", views.window_open, name="window_open"),
    path("windows/<int:window_id>/close/", views.window_close, name="window_close"),
    path("<int:movement_id>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:movement_id>/models/", views.model_list, name="models"),
    path("<int:movement_id>/models/new/", views.model_register, name="model_register"),
    path("models/<int:model_id>/", views.model_detail, name="model"),
    path("models/<int:model_id>/progress/", views.model_progress, name="model_progress"),
    path("models/<int:model_id>/state/", views.model_state, name="model_state"),
    path("models/<int:model_id>/evaluate/", views.model_evaluate, name="model_evaluate"),
    path("models/<int:model_id>/recognize/", views.model_recognize, name="model_recognize"),
    path("models/<int:model_id>/commend/", views.model_commend, name="model_commend"),
    path("models/<int:model_id>/replicate/", views.model_replicate, name="model_replicate"),
    path("models/<int:model_id>/adopt/", views.model_adopt, name="model_adopt"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("contests/", views.contest_list, name="contests"),
    path("contests/<int:contest_id>/", views.contest_detail, name="contest"),
    path("contests/<int:contest_id>/coverage/", views.contest_coverage, name="contest_coverage"),
    path("contests/<int:contest_id>/entries/", views.entry_submit, name="entry_submit"),
    path("rounds/<int:round_id>/close/", views.round_close, name="round_close"),
    path("scores/<int:participant_id>/", views.team_score, name="team_score"),
    path("<int:movement_id>/models/export/", views_io.models_export, name="models_export"),
    path(
        "<int:movement_id>/dashboard/export/",
        views_io.dashboard_export,
        name="dashboard_export",
    ),
    path("<int:movement_id>/import/", views_io.import_registrations, name="import"),
    path("<int:movement_id>/import/template/", views_io.import_template, name="import_template"),
    path("<int:movement_id>/import/confirm/", views_io.import_confirm, name="import_confirm"),
]

# The organizers' pages (views_manage): creating movements and contests, their settings,
# editing a model, reporting an adoption's progress.
urlpatterns += [
    path("new/", views_manage.movement_create, name="movement_create"),
    path("<int:movement_id>/theme/", views_manage.theme_set, name="theme_set"),
    path("<int:movement_id>/criteria/new/", views_manage.criterion_add, name="criterion_add"),
    path("<int:movement_id>/labels/new/", views_manage.label_add, name="label_add"),
    path("contests/new/", views_manage.contest_create, name="contest_create"),
    path("contests/<int:contest_id>/teams/new/", views_manage.team_add, name="team_add"),
    path("contests/<int:contest_id>/judges/new/", views_manage.judge_add, name="judge_add"),
    path("contests/<int:contest_id>/prizes/new/", views_manage.prize_award, name="prize_award"),
    path(
        "contests/<int:contest_id>/coverage/rule/",
        views_manage.coverage_rule_set,
        name="coverage_rule_set",
    ),
    path("models/<int:model_id>/edit/", views_manage.model_edit, name="model_edit"),
    path(
        "models/<int:model_id>/adoptions/",
        views_manage.adoption_reports,
        name="adoption_reports",
    ),
    path(
        "adoptions/<int:adoption_id>/report/",
        views_manage.adoption_report,
        name="adoption_report",
    ),
]

# Downloads of a contest's lists (views_contest_io): a round's ranking, entries, coverage.
urlpatterns += [
    path(
        "contests/<int:contest_id>/rounds/<int:round_id>/export/",
        views_contest_io.ranking_export,
        name="ranking_export",
    ),
    path(
        "contests/<int:contest_id>/entries/export/",
        views_contest_io.entries_export,
        name="entries_export",
    ),
    path(
        "contests/<int:contest_id>/coverage/export/",
        views_contest_io.coverage_export,
        name="coverage_export",
    ),
]
