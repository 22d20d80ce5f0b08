from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, **kwargs):
    # Permissions of models added since the data migration exist only after migrate.
    from crm.core.roles import sync_roles

    sync_roles(kwargs.get("apps"))


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("Accompagnement")

    def ready(self):
        # Sent once per app: run after each so the last run sees every app's permissions.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="crm_sync_roles")
        _connect_access_log()
        _connect_text_functions()


def _connect_access_log():
    # The access log listens to Django's and django-axes' signals, and to the list exports;
    # it writes only the log.
    from axes.signals import user_locked_out
    from django.contrib.auth import signals

    from crm.core.lists import list_exported
    from crm.security import audit

    signals.user_logged_in.connect(audit.on_user_logged_in, dispatch_uid="crm_log_login")
    signals.user_logged_out.connect(audit.on_user_logged_out, dispatch_uid="crm_log_logout")
    signals.user_login_failed.connect(audit.on_user_login_failed, dispatch_uid="crm_log_failed")
    user_locked_out.connect(audit.on_user_locked_out, dispatch_uid="crm_log_lockout")
    list_exported.connect(audit.on_list_exported, dispatch_uid="crm_log_list_export")


def _connect_text_functions():
    # SQLite gets the folding and similarity functions PostgreSQL has from its migrations.
    from django.db.backends.signals import connection_created

    from crm.core.text import register_sqlite_functions

    connection_created.connect(register_sqlite_functions, dispatch_uid="crm_text_functions")


class CrmAdminConfig(admin_apps.AdminConfig):
    """The Django admin with the CRM's site (login through the CRM, second factor)."""

    default = False  # CrmConfig stays the default config of the crm package

    default_site = "crm.security.admin_site.CrmAdminSite"
