"""Routes of the contacts app (people and organisations), namespaced "contacts"."""

from django.urls import path

from contacts.views import gdpr, lists, merge, organisations, people, search

app_name = "contacts"

urlpatterns = [
    path("people/", lists.PersonListView.as_view(), name="person-list"),
    path("people/search/", search.person_search, name="person-search"),
    path("people/new/", people.person_create, name="person-create"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person-edit"),
    path("people/<int:pk>/archive/", people.person_archive, name="person-archive"),
    path("people/<int:pk>/restore/", people.person_restore, name="person-restore"),
    path("people/<int:pk>/merge/", merge.person_merge, name="person-merge"),
    path(
        "people/<int:pk>/consents/<str:purpose>/withdraw/",
        gdpr.person_consent_withdraw,
        name="person-consent-withdraw",
    ),
    path("people/<int:pk>/data-export/", gdpr.person_data_export_view, name="person-data-export"),
    path("organisations/", lists.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/search/", search.organisation_search, name="organisation-search"),
    path("organisations/new/", organisations.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation-edit"),
    path(
        "organisations/<int:pk>/archive/",
        organisations.organisation_archive,
        name="organisation-archive",
    ),
    path(
        "organisations/<int:pk>/restore/",
        organisations.organisation_restore,
        name="organisation-restore",
    ),
    path("organisations/<int:pk>/merge/", merge.organisation_merge, name="organisation-merge"),
]
