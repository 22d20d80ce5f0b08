"""The site's root URLconf."""

from django.contrib import admin
from django.urls import include, path

from crm.core.health import healthz
from crm.importing import urls as importing_urls
from crm.intake import urls as intake_urls
from crm.projects import urls as projects_urls
from crm.security.views import CrmLoginView

# The "crm" namespace gathers the pipeline, the imports, the triage and the calls: their
# URL names (crm:project-detail, crm:import-list, crm:call-detail…) predate the split.
crm_patterns = projects_urls.urlpatterns + importing_urls.urlpatterns + intake_urls.urlpatterns

urlpatterns = [
    # For load balancers: no login, JSON (crm.core.health).
    path("healthz", healthz, name="healthz"),
    # Before Django's auth URLs: our login adds the second factor (same name, "login").
    path("accounts/login/", CrmLoginView.as_view(), name="login"),
    path("", include("crm.security.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("branding/", include("crm.branding.urls")),
    path("contacts/", include("contacts.urls")),
    path("rgpd/", include("contacts.urls_gdpr")),
    path("inscription/", include("crm.intake.urls_public")),
    path("", include((crm_patterns, "crm"))),
    path("", include("followups.urls")),
    path("documents/", include("crm.documents.urls")),
    path("reports/", include("reports.sheet_urls")),
    path("reports/", include("reports.urls")),
    path("", include("crm.api.urls")),
    path("search/", include("crm.search.urls")),
    # The entrepreneurs' own space (crm.portal).
    path("espace/", include("crm.portal.urls")),
]

# Database down: a French 503 page that needs no database (crm.core.errors).
handler500 = "crm.core.errors.handle_server_error"
