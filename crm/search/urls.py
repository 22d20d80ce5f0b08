"""Route of the global search, namespaced "search" (included from crm/config/urls.py)."""

from django.urls import path

from crm.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="results"),
]
