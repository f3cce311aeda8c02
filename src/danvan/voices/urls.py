"""The voices pages: cases (intake, worklist, case page) and meetings (reception, dialogues,
dashboard, hot spots); public tracking is mounted at the top level (danvan.urls, "track")."""

from django.urls import path

from .views import (
    dashboard,
    dialogues,
    export,
    hotspots,
    intake,
    matter,
    reception,
    rules,
    worklist,
)

app_name = "voices"

urlpatterns = [
    path("", worklist.worklist, name="worklist"),
    path("intake/", intake.intake, name="intake"),
    path("intake/rows/<slug:kind>/", intake.intake_row, name="intake_row"),
    path("intake/areas/", intake.intake_areas, name="intake_areas"),
    path("intake/similar/", intake.intake_similar, name="intake_similar"),
    path("petitions/<int:petition_id>/receipt/", intake.receipt, name="receipt"),
    path("matters/<int:matter_id>/", matter.matter_detail, name="matter"),
    path("matters/<int:matter_id>/identity/", matter.matter_identity, name="identity"),
    path("matters/<int:matter_id>/<slug:step>/", matter.matter_act, name="act"),
    path("documents/<int:document_id>/", matter.document_download, name="document"),
    path("notifications/read/", worklist.notification_read, name="notifications_read"),
    path(
        "notifications/<int:notification_id>/read/",
        worklist.notification_read,
        name="notification_read",
    ),
    # The worklist's download: the listed matters, never a citizen's identity.
    path("matters/export/", export.worklist_export, name="worklist_export"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard.dashboard_export, name="dashboard_export"),
    path("reception/", reception.reception_list, name="reception"),
    path("reception/new/", reception.reception_new, name="reception_new"),
    path("reception/export/", reception.reception_export, name="reception_export"),
    path("reception/compliance/", reception.reception_compliance, name="reception_compliance"),
    path("reception/compliance/export/", reception.compliance_export, name="compliance_export"),
    path("dialogues/", dialogues.dialogue_list, name="dialogues"),
    path("dialogues/new/", dialogues.dialogue_new, name="dialogue_new"),
    path("dialogues/export/", dialogues.dialogues_export, name="dialogues_export"),
    path("dialogues/<int:dialogue_id>/", dialogues.dialogue_detail, name="dialogue"),
    path(
        "dialogues/<int:dialogue_id>/commitments/",
        dialogues.commitment_add,
        name="commitment_add",
    ),
    path(
        "commitments/<int:commitment_id>/answer/",
        dialogues.commitment_answer,
        name="commitment_answer",
    ),
    path("hot-spots/", hotspots.hot_spots, name="hotspots"),
    path("hot-spots/matters/", hotspots.hot_spot_matters, name="hotspot_matters"),
    path("hot-spots/export/", hotspots.hot_spots_export, name="hotspots_export"),
    path("rules/", rules.rules, name="rules"),
]
