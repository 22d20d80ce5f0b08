from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from contacts.merge_fields import fold_consent
        from contacts.merging import register_clash_rule

        # Two open consents to one purpose (one on each duplicate): the earlier one stands.
        register_clash_rule("contacts.Consent", fold_consent)
