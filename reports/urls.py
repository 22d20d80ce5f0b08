"""Routes of the dashboard and reports, namespaced "reports" (included from crm/config/urls.py)."""

from django.urls import path

from reports.views import dashboard

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("bilan.xlsx", dashboard.bilan_xlsx, name="bilan-xlsx"),
    path("bilan.pdf", dashboard.bilan_pdf, name="bilan-pdf"),
]
