from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The entrepreneurs' own space (/espace/): invitations, their path, next steps,
    shared notes and documents, workshops, their details and their data."""

    name = "crm.portal"
    label = "portal"
    verbose_name = _("Espace porteur·se")

    def ready(self):
        # Plugged into the lower layers, which never import this app.
        from contacts import registry as person_registry
        from contacts.gdpr import hooks
        from crm.portal import gdpr, selectors, signals  # noqa: F401 (signal receivers)
        from followups.services import actions

        person_registry.register_person_panel(
            person_registry.PersonPanel(
                key="portal_panel",
                template="portal/_person_panel.html",
                data=selectors.person_panel,
            )
        )
        hooks.register_erasure_hook(gdpr.erase_accounts)
        actions.register_owner_source(selectors.entrepreneur_owners)
