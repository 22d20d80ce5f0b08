"""`manage.py portal_invite PERSON_PK`: invite a person to their space and print the link
(for support and tests; `--no-email` prints it without sending the e-mail)."""

from django.core.management.base import BaseCommand, CommandError

from contacts.models import Person
from crm.portal.services import InvitationError, portal_invite


class Command(BaseCommand):
    help = "Invite a person to the entrepreneur space and print the one-time link."

    def add_arguments(self, parser):
        parser.add_argument("person_pk", type=int)
        parser.add_argument("--no-email", action="store_true", help="Do not send the e-mail.")

    def handle(self, *args, person_pk, no_email, **options):
        person = Person.objects.filter(pk=person_pk).first()
        if person is None:
            raise CommandError(f"No person numbered {person_pk}.")
        try:
            invitation, link = portal_invite(person=person, send=not no_email)
        except InvitationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(link)
        self.stderr.write(
            f"Valid until {invitation.expires_at:%Y-%m-%d %H:%M %Z} for {person} ({person.email})."
        )
