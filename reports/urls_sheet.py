"""Routes of the project follow-up sheet downloads, namespaced "sheets"."""

from django.urls import path

from reports import views_sheet

app_name = "sheets"

urlpatterns = [
    path("projects/<int:pk>/fiche.pdf", views_sheet.project_sheet_pdf, name="project-fiche-pdf"),
    path("projects/<int:pk>/fiche.xlsx", views_sheet.project_sheet_xlsx, name="project-fiche-xlsx"),
]
