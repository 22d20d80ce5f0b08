from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Suivi")

    def ready(self):
        # Meetings and actions join the project page: its timeline, and the follow-ups
        # panel (recent meetings, open actions, hours used) under the key "panel".
        from contacts import merging
        from contacts.registry import PersonPanel, register_person_panel
        from crm.projects import registry
        from followups import selectors_messages
        from followups.selectors import project_followups, timeline_entries
        from followups.services.events import attendance_combine

        registry.register_timeline_source(timeline_entries)
        # The e-mails written to entrepreneurs: in the project's timeline, and on the
        # person's page.
        registry.register_timeline_source(selectors_messages.timeline_entries)
        register_person_panel(
            PersonPanel(
                key="messages_panel",
                template="followups/_person_messages.html",
                data=selectors_messages.person_messages,
            )
        )
        registry.register_panel(
            registry.Panel(
                key="panel", template="followups/_project_panel.html", data=project_followups
            )
        )
        # A person merge folds two registrations at the same workshop into one.
        merging.register_clash_rule("followups.Attendance", attendance_combine)
