from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Suivi")

    def ready(self):
        # Meetings and actions join the project page: its timeline, and the follow-ups
        # panel (recent meetings, open actions, hours used) under the key "panel".
        from crm.projects import registry
        from followups.selectors import project_followups, timeline_entries

        registry.register_timeline_source(timeline_entries)
        registry.register_panel(
            registry.Panel(
                key="panel", template="followups/_project_panel.html", data=project_followups
            )
        )
