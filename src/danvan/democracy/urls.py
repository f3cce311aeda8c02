from django.urls import path

from . import views, views_supervision

app_name = "democracy"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.dashboard_export, name="dashboard_export"),
    path("rules/", views.rules_page, name="rules"),
    path("disclosures/", views.disclosure_list, name="disclosures"),
    path("disclosures/export/", views.disclosure_export, name="disclosures_export"),
    path("disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path("disclosures/<int:disclosure_id>/", views.disclosure_detail, name="disclosure"),
    path("documents/<int:document_id>/", views.disclosure_document, name="document"),
    path("communities/", views.community_list, name="communities"),
    path("communities/<int:community_id>/", views.household_list, name="households"),
    path(
        "communities/<int:community_id>/export/",
        views.household_export,
        name="households_export",
    ),
    path(
        "communities/<int:community_id>/import/",
        views.household_import,
        name="households_import",
    ),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/export/", views.consultation_export, name="consultations_export"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:consultation_id>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:consultation_id>/vote/", views.consultation_vote, name="vote"),
    path("consultations/<int:consultation_id>/close/", views.consultation_close, name="close"),
    path(
        "consultations/<int:consultation_id>/recognize/",
        views.consultation_recognize,
        name="recognize",
    ),
    path(
        "consultations/<int:consultation_id>/comment/", views.consultation_comment, name="comment"
    ),
    path(
        "consultations/<int:consultation_id>/response/",
        views.consultation_response,
        name="comment_response",
    ),
    path("supervision/", views_supervision.body_list, name="bodies"),
    path("supervision/new/", views_supervision.body_create, name="body_create"),
    path("supervision/<int:body_id>/", views_supervision.body_detail, name="body"),
    path(
        "supervision/activities/<int:activity_id>/",
        views_supervision.activity_detail,
        name="activity",
    ),
    path("recommendations/", views_supervision.recommendation_list, name="recommendations"),
    path(
        "recommendations/export/",
        views_supervision.recommendation_export,
        name="recommendations_export",
    ),
    path(
        "recommendations/<int:recommendation_id>/",
        views_supervision.recommendation_detail,
        name="recommendation",
    ),
    path("satisfaction/", views_supervision.satisfaction_list, name="satisfaction"),
    path(
        "satisfaction/export/",
        views_supervision.satisfaction_export,
        name="satisfaction_export",
    ),
]
