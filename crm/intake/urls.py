"""Routes of the triage of applications and of the calls for projects, in the "crm"
namespace (see crm.config.urls)."""

from django.urls import path

from crm.intake.views import calls, grants, letters, reconcile, registration

urlpatterns = [
    path("applications/", registration.TriageListView.as_view(), name="triage-list"),
    path("applications/<int:pk>/", registration.triage_detail, name="triage-detail"),
    path("applications/<int:pk>/reconcile/", reconcile.triage_reconcile, name="triage-reconcile"),
    path("applications/<int:pk>/accept/", registration.triage_accept, name="triage-accept"),
    path("applications/<int:pk>/redirect/", registration.triage_redirect, name="triage-redirect"),
    path("applications/<int:pk>/decline/", registration.triage_decline, name="triage-decline"),
    path("calls/", calls.CallListView.as_view(), name="call-list"),
    path("calls/new/", calls.call_edit, name="call-create"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<int:pk>/letters.zip", letters.call_letters_zip, name="call-letters-zip"),
    path("calls/<int:pk>/letters/send/", letters.call_letters_send, name="call-letters-send"),
    path("calls/letters/", letters.letter_template_list, name="letter-template-list"),
    path(
        "calls/letters/<int:pk>/edit/",
        letters.letter_template_edit,
        name="letter-template-edit",
    ),
    path(
        "calls/<int:pk>/applications/",
        calls.CallApplicationListView.as_view(),
        name="call-application-list",
    ),
    path(
        "calls/<int:pk>/applications/new/", calls.application_create, name="call-application-create"
    ),
    path("calls/applications/<int:pk>/", calls.application_detail, name="call-application-detail"),
    path(
        "calls/applications/<int:pk>/score/", calls.application_score, name="call-application-score"
    ),
    path(
        "calls/applications/<int:pk>/decide/",
        calls.application_decide,
        name="call-application-decide",
    ),
    path(
        "calls/applications/<int:pk>/payments/",
        calls.application_payments,
        name="call-application-payments",
    ),
    path(
        "calls/applications/<int:pk>/letter.pdf",
        letters.application_letter,
        name="call-application-letter",
    ),
    path(
        "calls/applications/<int:pk>/convention/",
        calls.application_convention,
        name="call-application-convention",
    ),
    path(
        "calls/applications/<int:pk>/instalments/",
        grants.instalment_create,
        name="grant-instalment-create",
    ),
    path("calls/instalments/<int:pk>/pay/", grants.instalment_pay, name="grant-instalment-pay"),
    path("calls/payment-schedule/", grants.payment_schedule, name="payment-schedule"),
]
