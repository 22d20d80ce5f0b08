from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Attachments on projects, people, organisations, meetings, applications and events."""

    name = "crm.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # The project page shows the project's documents (panel "documents") and each upload
        # in its timeline; crm.projects never imports this app.
        from contacts.gdpr import hooks
        from crm.documents import gdpr
        from crm.documents.selectors import project_documents, timeline_entries
        from crm.projects import registry

        registry.register_timeline_source(timeline_entries)
        registry.register_panel(
            registry.Panel(
                key="documents", template="documents/_project_panel.html", data=project_documents
            )
        )
        # The person's documents go into their access export and away with their erasure
        # (retention erases through the same path); contacts never imports this app.
        hooks.register_archive_source(gdpr.archive_files)
        hooks.register_erasure_hook(gdpr.erase_documents)
