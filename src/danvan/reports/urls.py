from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.index, name="dashboard"),
    path("dashboard/panels/<slug:key>/", views.panel, name="panel"),
    path("reports/", views.report_list, name="reports"),
    path("reports/export/", views.report_list_export, name="reports_export"),
    path("reports/new/", views.report_generate, name="generate"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/status/", views.report_status, name="status"),
    path("reports/<int:report_id>/details/", views.details_edit, name="details"),
    path(
        "reports/<int:report_id>/sections/<int:section_id>/",
        views.section_edit,
        name="section",
    ),
    path("reports/<int:report_id>/issue/", views.report_issue, name="issue"),
    path("reports/<int:report_id>/retry/", views.report_retry, name="retry"),
    path("reports/<int:report_id>/draft.<slug:fmt>", views.draft_download, name="draft"),
    path(
        "reports/<int:report_id>/v<int:number>.<slug:fmt>",
        views.version_download,
        name="version",
    ),
]
