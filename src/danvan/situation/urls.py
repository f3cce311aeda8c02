from django.urls import path

from .views import situation as views
from .views import welfare as w

app_name = "situation"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.matrix_export, name="matrix_export"),
    path("cell/<slug:topic_code>/", views.cell, name="cell"),
    path("signals/", views.signals, name="signals"),
    path("signals/export/", views.signals_export, name="signals_export"),
    path("signals/<str:follow_up>/", views.signal_follow_up, name="signal_follow_up"),
    path("reports/", views.reports, name="reports"),
    path("reports/export/", views.reports_export, name="reports_export"),
    path("reports/new/", views.report_form, name="report_form"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("missing/", views.missing, name="missing"),
    path("missing/export/", views.missing_export, name="missing_export"),
    path("campaigns/", w.campaigns, name="campaigns"),
    path("campaigns/export/", w.campaigns_export, name="campaigns_export"),
    path("campaigns/new/", w.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", w.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/export/", w.campaign_export, name="campaign_export"),
    path("campaigns/<int:campaign_id>/fundings/", w.funding_add, name="funding_add"),
    path("campaigns/<int:campaign_id>/households/", w.beneficiary_add, name="beneficiary_add"),
    path("campaigns/<int:campaign_id>/import/", w.beneficiary_import, name="import"),
    path("campaigns/<int:campaign_id>/import/template/", w.import_template, name="import_template"),
    path("campaigns/<int:campaign_id>/loans/", w.loan_add, name="loan_add"),
    path("households/<int:beneficiary_id>/", w.beneficiary_update, name="beneficiary_update"),
    path("loans/<int:loan_id>/repay/", w.loan_repay, name="loan_repay"),
    path("projects/", w.projects, name="projects"),
    path("projects/export/", w.projects_export, name="projects_export"),
    path("projects/new/", w.project_new, name="project_new"),
    path("projects/<int:project_id>/", w.project_detail, name="project"),
    path("projects/<int:project_id>/export/", w.project_export, name="project_export"),
    path("projects/<int:project_id>/households/", w.household_add, name="household_add"),
    path("projects/<int:project_id>/meetings/", w.meeting_add, name="meeting_add"),
    path("affected/<int:household_id>/", w.household_update, name="household_update"),
]
