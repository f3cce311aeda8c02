from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("unit/", views.choose_unit, name="choose_unit"),
    path("areas/", views.area_list, name="areas"),
    path("areas/<int:area_id>/", views.area_detail, name="area"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:org_id>/", views.organization_detail, name="organization"),
    path("profile/", views.profile, name="profile"),
    path("imports/<int:job_id>/", views.import_job, name="import_job"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
