"""A person's role in an organisation (founder, director, volunteer...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from contacts.models.choices import PersonRole
from crm.core.bounds import validate_date_range


class PersonOrganisation(models.Model):
    # Person and Organisation are named lazily: the organisations' queryset reads this
    # model, and importing theirs here would make a cycle.
    person = models.ForeignKey(
        "contacts.Person", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "contacts.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=20, choices=PersonRole, default=PersonRole.CONTACT
    )
    since = models.DateField(_("depuis"), null=True, blank=True, validators=[validate_date_range])

    class Meta:
        verbose_name = _("rôle dans une structure")
        verbose_name_plural = _("rôles dans les structures")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"], name="contacts_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} – {self.organisation}"
