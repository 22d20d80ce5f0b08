"""Routes of the project pipeline app, namespaced "crm"."""

from django.urls import path

from crm import views, views_calls, views_registration

app_name = "crm"

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
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
