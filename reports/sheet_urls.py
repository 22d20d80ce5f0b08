"""Routes of the project follow-up sheet downloads, namespaced "sheets"."""

from django.urls import path

from reports.views import sheet

app_name = "sheets"

urlpatterns = [
    path("projects/<int:pk>/fiche.pdf", sheet.project_sheet_pdf, name="project-fiche-pdf"),
    path("projects/<int:pk>/fiche.xlsx", sheet.project_sheet_xlsx, name="project-fiche-xlsx"),
]
