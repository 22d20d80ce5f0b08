"""Routes of the project pipeline app, namespaced "crm"."""

from django.urls import path

from crm import views, views_calls, views_imports, views_registration

app_name = "crm"

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("imports/", views_imports.import_list, name="import-list"),
    path("imports/<int:pk>/", views_imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", views_imports.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/cancel/", views_imports.import_cancel, name="import-cancel"),
    path("imports/<int:pk>/progress/", views_imports.import_progress, name="import-progress"),
    path("imports/<int:pk>/refused.csv", views_imports.import_refused, name="import-refused"),
    path("projects/archived/", views.ArchivedProjectListView.as_view(), name="project-archived"),
    path("projects/board/", views.project_board, name="project-board"),
    path("projects/search/", views.project_search, name="project-search"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-edit"),
    path("projects/<int:pk>/move/", views.project_move, name="project-move"),
    path("projects/<int:pk>/archive/", views.project_archive, name="project-archive"),
    path("projects/<int:pk>/restore/", views.project_restore, name="project-restore"),
    # Triage of applications (issue 8)
    path("applications/", views_registration.TriageListView.as_view(), name="triage-list"),
    path("applications/<int:pk>/", views_registration.triage_detail, name="triage-detail"),
    path("applications/<int:pk>/accept/", views_registration.triage_accept, name="triage-accept"),
    path(
        "applications/<int:pk>/redirect/",
        views_registration.triage_redirect,
        name="triage-redirect",
    ),
    path(
        "applications/<int:pk>/decline/", views_registration.triage_decline, name="triage-decline"
    ),
    # Calls for projects (issue 8)
    path("calls/", views_calls.CallListView.as_view(), name="call-list"),
    path("calls/new/", views_calls.call_edit, name="call-create"),
    path("calls/<int:pk>/", views_calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/edit/", views_calls.call_edit, name="call-edit"),
    path(
        "calls/<int:pk>/applications/",
        views_calls.CallApplicationListView.as_view(),
        name="call-application-list",
    ),
    path(
        "calls/<int:pk>/applications/new/",
        views_calls.application_create,
        name="call-application-create",
    ),
    path(
        "calls/applications/<int:pk>/",
        views_calls.application_detail,
        name="call-application-detail",
    ),
    path(
        "calls/applications/<int:pk>/score/",
        views_calls.application_score,
        name="call-application-score",
    ),
    path(
        "calls/applications/<int:pk>/decide/",
        views_calls.application_decide,
        name="call-application-decide",
    ),
    path(
        "calls/applications/<int:pk>/payments/",
        views_calls.application_payments,
        name="call-application-payments",
    ),
    path(
        "calls/applications/<int:pk>/letter.pdf",
        views_calls.application_letter,
        name="call-application-letter",
    ),
]
