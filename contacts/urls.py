"""Routes of the contacts app (people and organisations), namespaced "contacts"."""

from django.urls import path

from contacts.views import (
    archives,
    duplicates,
    erasure,
    gdpr,
    lists,
    merge,
    organisations,
    people,
    retention,
    search,
    sirene,
)

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
    path("people/<int:pk>/erase/", erasure.person_erase_view, name="person-erase"),
    path("duplicates/", duplicates.DuplicateListView.as_view(), name="duplicates"),
    path("duplicates/scan/", duplicates.duplicate_scan_view, name="duplicate-scan"),
    path(
        "duplicates/<int:pk>/dismiss/",
        duplicates.duplicate_dismiss_view,
        name="duplicate-dismiss",
    ),
    path("retention/", retention.RetentionListView.as_view(), name="retention"),
    path("retention/<int:pk>/extend/", retention.retention_extend_view, name="retention-extend"),
    path("archives/", archives.EliminationListView.as_view(), name="archives"),
    path("archives/propose/", archives.elimination_propose_view, name="archives-propose"),
    path("archives/<int:pk>/", archives.elimination_detail, name="archives-detail"),
    path("archives/<int:pk>/approve/", archives.elimination_approve_view, name="archives-approve"),
    path("archives/<int:pk>/execute/", archives.elimination_execute_view, name="archives-execute"),
    path("archives/<int:pk>/bordereau.pdf", archives.elimination_pdf, name="archives-pdf"),
    path("archives/<int:pk>/bordereau.csv", archives.elimination_csv, name="archives-csv"),
    path(
        "archives/<int:pk>/transfer.zip",
        archives.elimination_transfer_zip,
        name="archives-transfer",
    ),
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
    path(
        "organisations/<int:pk>/sirene/",
        sirene.organisation_sirene,
        name="organisation-sirene",
    ),
]
