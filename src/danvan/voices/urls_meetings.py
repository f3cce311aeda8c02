from django.urls import path

from . import views_meetings as v

urlpatterns = [
    path("dashboard/", v.dashboard, name="dashboard"),
    path("dashboard/export/", v.dashboard_export, name="dashboard_export"),
    path("reception/", v.reception_list, name="reception"),
    path("reception/new/", v.reception_new, name="reception_new"),
    path("reception/export/", v.reception_export, name="reception_export"),
    path("reception/compliance/", v.reception_compliance, name="reception_compliance"),
    path("reception/compliance/export/", v.compliance_export, name="compliance_export"),
    path("dialogues/", v.dialogue_list, name="dialogues"),
    path("dialogues/new/", v.dialogue_new, name="dialogue_new"),
    path("dialogues/export/", v.dialogues_export, name="dialogues_export"),
    path("dialogues/<int:dialogue_id>/", v.dialogue_detail, name="dialogue"),
    path("dialogues/<int:dialogue_id>/commitments/", v.commitment_add, name="commitment_add"),
    path("commitments/<int:commitment_id>/answer/", v.commitment_answer, name="commitment_answer"),
    path("hot-spots/", v.hot_spots, name="hotspots"),
    path("hot-spots/matters/", v.hot_spot_matters, name="hotspot_matters"),
    path("hot-spots/export/", v.hot_spots_export, name="hotspots_export"),
    path("rules/", v.rules, name="rules"),
]
