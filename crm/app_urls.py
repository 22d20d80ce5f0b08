"""Routes of the project pipeline app, namespaced "crm"."""

from django.urls import path

from crm import views, views_imports

app_name = "crm"

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("imports/", views_imports.import_list, name="import-list"),
    path("imports/<int:pk>/", views_imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", views_imports.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/cancel/", views_imports.import_cancel, name="import-cancel"),
    path("imports/<int:pk>/refused.csv", views_imports.import_refused, name="import-refused"),
    path("projects/archived/", views.ArchivedProjectListView.as_view(), name="project-archived"),
    path("projects/board/", views.project_board, name="project-board"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-edit"),
    path("projects/<int:pk>/move/", views.project_move, name="project-move"),
    path("projects/<int:pk>/archive/", views.project_archive, name="project-archive"),
    path("projects/<int:pk>/restore/", views.project_restore, name="project-restore"),
]
