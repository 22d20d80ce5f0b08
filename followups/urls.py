"""Routes of follow-ups, namespaced "followups" (included from crm/config/urls.py)."""

from django.urls import path

from followups.views import actions, campaigns, events, ledger, meetings, messages, work

app_name = "followups"

urlpatterns = [
    path(
        "projects/<int:pk>/meetings/",
        meetings.ProjectMeetingListView.as_view(),
        name="project-meetings",
    ),
    path("projects/<int:project_pk>/meetings/new/", meetings.meeting_form, name="meeting-create"),
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_form, name="meeting-edit"),
    path("meetings/<int:pk>/delete/", meetings.meeting_delete, name="meeting-delete"),
    path("meetings/<int:meeting_pk>/notes/new/", meetings.note_form, name="note-create"),
    path("notes/<int:pk>/edit/", meetings.note_form, name="note-edit"),
    path("notes/<int:pk>/delete/", meetings.note_delete, name="note-delete"),
    path("my-work/", work.my_work, name="my-work"),
    path("measures/campaign/", campaigns.CampaignListView.as_view(), name="campaign-list"),
    path(
        "measures/campaign/<int:project_pk>/<str:kind>/",
        campaigns.campaign_measure,
        name="campaign-measure",
    ),
    path("actions/", actions.ActionListView.as_view(), name="action-list"),
    path("actions/new/", actions.action_create, name="action-create"),
    path(
        "projects/<int:project_pk>/actions/new/",
        actions.action_create,
        name="project-action-create",
    ),
    path("actions/<int:pk>/postpone/", actions.action_postpone, name="action-postpone"),
    path("actions/<int:pk>/reassign/", actions.action_reassign, name="action-reassign"),
    path("actions/<int:pk>/done/", work.action_done, name="action-done"),
    path("actions/<int:pk>/reopen/", actions.action_reopen, name="action-reopen"),
    path("actions/done/", actions.actions_done, name="actions-done"),
    path(
        "message-templates/",
        messages.MessageTemplateListView.as_view(),
        name="message-template-list",
    ),
    path("message-templates/new/", messages.message_template_form, name="message-template-create"),
    path(
        "message-templates/<int:pk>/edit/",
        messages.message_template_form,
        name="message-template-edit",
    ),
    path("projects/<int:project_pk>/write/", messages.project_message, name="project-message"),
    path("contacts/people/<int:person_pk>/write/", messages.person_message, name="person-message"),
    path("calendar/regenerate/", work.calendar_regenerate, name="calendar-regenerate"),
    path("calendar/<str:token>.ics", work.calendar_feed, name="calendar-feed"),
    path("events/", events.EventListView.as_view(), name="event-list"),
    path("events/new/", events.event_form, name="event-create"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events.event_form, name="event-edit"),
    path("events/<int:pk>/register/", events.event_register, name="event-register"),
    path("events/<int:pk>/attendance/", events.event_attendance, name="event-attendance"),
    path("events/<int:pk>/sheet/", events.event_sheet, name="event-sheet"),
    path("cohorts/", events.CohortListView.as_view(), name="cohort-list"),
    path("cohorts/new/", events.cohort_form, name="cohort-create"),
    path("cohorts/<int:pk>/", events.cohort_detail, name="cohort-detail"),
    path("cohorts/<int:pk>/edit/", events.cohort_form, name="cohort-edit"),
    path("contracts/", ledger.ContractListView.as_view(), name="contract-list"),
    path("contracts/new/", ledger.contract_form, name="contract-create"),
    path("contracts/<int:pk>/", ledger.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", ledger.contract_form, name="contract-edit"),
    path("contracts/<int:contract_pk>/orders/new/", ledger.order_form, name="order-create"),
    path("orders/<int:pk>/edit/", ledger.order_form, name="order-edit"),
    path("orders/<int:pk>/statement/", ledger.order_statement, name="order-statement"),
    path("orders/<int:pk>/certify/", ledger.order_certify, name="order-certify"),
    path(
        "certifications/<int:pk>/revoke/",
        ledger.certification_revoke,
        name="certification-revoke",
    ),
]
