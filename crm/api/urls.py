"""Routes of the REST API (namespaced "api"): /api/v1/… and the account page's tokens."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from crm.api import account, views
from crm.api.opendata import OpenDataProjectsView

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("projects", views.ProjectViewSet, basename="project")
router.register("stage-changes", views.StageChangeViewSet, basename="stagechange")
router.register("people", views.PersonViewSet, basename="person")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("actions", views.ActionViewSet, basename="action")
router.register("events", views.EventViewSet, basename="event")
router.register("attendances", views.AttendanceViewSet, basename="attendance")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("measures", views.MeasureViewSet, basename="projectmeasure")

urlpatterns = [
    # The schema and its documentation are public: they describe the API, not its data.
    path(
        "api/v1/schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path("api/v1/docs/", account.docs, name="docs"),
    path("api/v1/open-data/projects/", OpenDataProjectsView.as_view(), name="open-data-projects"),
    path("api/v1/", include(router.urls)),
    path("accounts/api-tokens/", account.token_list, name="token-list"),
    path("accounts/api-tokens/<int:pk>/revoke/", account.token_revoke, name="token-revoke"),
]
