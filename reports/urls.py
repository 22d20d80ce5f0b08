"""Routes of the dashboard and reports, namespaced "reports" (included from crm/config/urls.py)."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bilan.xlsx", views.bilan_xlsx, name="bilan-xlsx"),
    path("bilan.pdf", views.bilan_pdf, name="bilan-pdf"),
]
