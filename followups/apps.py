from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Suivi")

    def ready(self):
        # Meetings and actions join the project page's timeline.
        from crm.projects import selectors
        from followups.selectors import timeline_entries

        if timeline_entries not in selectors.TIMELINE_SOURCES:
            selectors.TIMELINE_SOURCES.append(timeline_entries)
