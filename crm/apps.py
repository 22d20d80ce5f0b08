from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, **kwargs):
    # Permissions of models added since the data migration exist only after migrate.
    from crm.roles import sync_roles

    sync_roles(kwargs.get("apps"))


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("Accompagnement")

    def ready(self):
        # Sent once per app: run after each so the last run sees every app's permissions.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="crm_sync_roles")
