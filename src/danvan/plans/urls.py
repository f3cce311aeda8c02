from django.urls import path

from . import views, views_io

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:task_id>/cascade/", views.task_cascade, name="task_cascade"),
    path("tasks/<int:task_id>/done/", views.task_complete, name="task_complete"),
    path("tasks/<int:task_id>/cancel/", views.task_cancel, name="task_cancel"),
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/address/", views.document_address, name="document_address"),
    path("actions/<int:action_id>/done/", views.action_complete, name="action_complete"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme"),
    path("conferences/", views.conference_list, name="conferences"),
    path("conferences/new/", views.conference_create, name="conference_create"),
    path("conferences/<int:conference_id>/", views.conference_detail, name="conference"),
    path("key-tasks/<int:key_task_id>/task/", views.key_task_to_task, name="key_task_to_task"),
    path("coordination/", views.coordination_list, name="coordinations"),
    path("coordination/new/", views.coordination_create, name="coordination_create"),
    path("coordination/<int:programme_id>/", views.coordination_detail, name="coordination"),
    path(
        "coordination/<int:programme_id>/evaluate/",
        views.coordination_evaluate,
        name="coordination_evaluate",
    ),
    path("files/<str:kind>/<int:pk>/", views.file_download, name="file"),
    # Downloads and import (views_io)
    path("tasks/export/", views_io.tasks_export, name="tasks_export"),
    path("documents/export/", views_io.documents_export, name="documents_export"),
    path(
        "documents/<int:document_id>/export/",
        views_io.matrix_export,
        name="matrix_export",
    ),
    path("programmes/export/", views_io.programmes_export, name="programmes_export"),
    path("conferences/export/", views_io.conferences_export, name="conferences_export"),
    path("coordination/export/", views_io.coordinations_export, name="coordinations_export"),
    path("tasks/import/", views_io.import_tasks, name="import"),
    path("tasks/import/template/", views_io.import_template, name="import_template"),
    path("tasks/import/confirm/", views_io.import_confirm, name="import_confirm"),
]
