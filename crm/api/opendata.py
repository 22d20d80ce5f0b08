"""The open-data endpoint: projects counted by commune, stage and year of arrival, with no
personal data and no sign-in, for the body to publish. Off unless API_OPEN_DATA is on."""

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.serializers import OpenDataRowSerializer
from crm.models import Project
from crm.models.projects import received_on


def projects_by_commune_stage_year():
    """Every current project, counted (one query): no user, so no visible_to; what comes
    out is counts only."""
    rows = (
        Project.objects.current()
        .annotate(year=ExtractYear(received_on()))
        .values("commune__insee_code", "commune__name", "stage", "year")
        .annotate(projects=Count("pk"))
        .order_by("commune__insee_code", "stage", "year")
    )
    return [
        {
            "commune_insee": row["commune__insee_code"],
            "commune": row["commune__name"],
            "stage": row["stage"],
            "year": row["year"],
            "projects": row["projects"],
        }
        for row in rows
    ]


class OpenDataProjectsView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=OpenDataRowSerializer(many=True), auth=[])
    def get(self, request):
        """Projects by commune, stage and year of arrival (404 unless API_OPEN_DATA)."""
        if not settings.API_OPEN_DATA:
            raise Http404
        rows = projects_by_commune_stage_year()
        return Response(OpenDataRowSerializer(rows, many=True).data)
