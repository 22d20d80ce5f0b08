"""The site's root URLconf."""

from django.contrib import admin
from django.urls import include, path

from crm.security_views import CrmLoginView

urlpatterns = [
    # Before Django's auth URLs: our login adds the second factor (same name, "login").
    path("accounts/login/", CrmLoginView.as_view(), name="login"),
    path("", include("crm.security_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("contacts/", include("contacts.urls")),
    path("inscription/", include("crm.urls_registration")),
    path("", include("crm.app_urls")),
    path("", include("followups.urls")),
    path("reports/", include("reports.urls_sheet")),
    path("reports/", include("reports.urls")),
]
