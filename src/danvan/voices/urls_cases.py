"""The case pages; public tracking is mounted at the top level (danvan.urls, "track")."""

from django.urls import path

from . import views_cases, views_export

urlpatterns = [
    path("", views_cases.worklist, name="worklist"),
    path("intake/", views_cases.intake, name="intake"),
    path("intake/rows/<slug:kind>/", views_cases.intake_row, name="intake_row"),
    path("intake/areas/", views_cases.intake_areas, name="intake_areas"),
    path("intake/similar/", views_cases.intake_similar, name="intake_similar"),
    path("petitions/<int:petition_id>/receipt/", views_cases.receipt, name="receipt"),
    path("matters/<int:matter_id>/", views_cases.matter_detail, name="matter"),
    path("matters/<int:matter_id>/identity/", views_cases.matter_identity, name="identity"),
    path("matters/<int:matter_id>/<slug:step>/", views_cases.matter_act, name="act"),
    path("documents/<int:document_id>/", views_cases.document_download, name="document"),
    path("notifications/read/", views_cases.notification_read, name="notifications_read"),
    path(
        "notifications/<int:notification_id>/read/",
        views_cases.notification_read,
        name="notification_read",
    ),
]

# The worklist's download (views_export): the listed matters, never a citizen's identity.
urlpatterns += [
    path("matters/export/", views_export.worklist_export, name="worklist_export"),
]
