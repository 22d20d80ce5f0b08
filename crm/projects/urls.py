"""Routes of the project pipeline, in the "crm" namespace (see crm.config.urls)."""

from django.urls import path

from crm.projects import views

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/archived/", views.ArchivedProjectListView.as_view(), name="project-archived"),
    path("projects/board/", views.project_board, name="project-board"),
    path("projects/columns/", views.project_list_columns, name="project-list-columns"),
    path("projects/views/", views.project_view_save, name="project-view-save"),
    path("projects/bulk/", views.project_bulk, name="project-bulk"),
    path("projects/search/", views.project_search, name="project-search"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-edit"),
    path("projects/<int:pk>/move/", views.project_move, name="project-move"),
    path("projects/<int:pk>/panel/", views.project_panel, name="project-panel"),
    path("projects/<int:pk>/panel/move/", views.project_panel_move, name="project-panel-move"),
    path(
        "projects/<int:pk>/panel/assign/", views.project_panel_assign, name="project-panel-assign"
    ),
    path("projects/<int:pk>/archive/", views.project_archive, name="project-archive"),
    path("projects/<int:pk>/restore/", views.project_restore, name="project-restore"),
    path("projects/<int:pk>/measures/", views.measure_list, name="measure-list"),
    path("projects/<int:pk>/measures/new/", views.measure_create, name="measure-create"),
    path("projects/<int:pk>/esf/", views.esf_edit, name="project-esf"),
]
