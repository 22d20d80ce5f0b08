"""Weekly: read again from SIRENE every current organisation with a SIRET or SIREN, keep the
directory's own facts up to date (active or closed and since when, creation date, legal
category, headcount band) and list the organisations found closed (they feed the survival
rates). Names and addresses typed by officers are left alone: "Compléter depuis SIRENE"
on the organisation's page shows those differences for an officer to accept."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from contacts import sirene
from contacts.models import Organisation

# The API allows 7 requests a second; stay well below.
PAUSE_SECONDS = 0.2


class Command(BaseCommand):
    help = "Met à jour depuis SIRENE l'état (active/fermée) des structures ayant un SIRET ou SIREN."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=0, help="au plus N structures")
        parser.add_argument("--pause", type=float, default=PAUSE_SECONDS)

    def handle(self, *args, limit, pause, **options):
        if not sirene.enabled():
            raise CommandError(
                "SIRENE_API_URL est vide : la consultation de SIRENE est désactivée."
            )
        organisations = (
            Organisation.objects.current()
            .filter(~Q(siret="") | ~Q(siren=""))
            .order_by("sirene_checked_at", "pk")
        )
        if limit:
            organisations = organisations[:limit]
        checked = failed = 0
        closed = []
        for organisation in organisations.iterator():
            try:
                found = sirene.lookup(sirene.identifier_of(organisation))
                was_active = organisation.is_active
                sirene.organisation_fill_from_sirene(
                    organisation=organisation, found=found, fields=sirene.REFRESHED, by=None
                )
            except (sirene.SireneUnavailable, ValidationError) as error:
                failed += 1
                self.stderr.write(f"{organisation.pk} {organisation}: {error}")
            else:
                checked += 1
                if found["is_active"] is False and was_active is not False:
                    closed.append(organisation)
            if pause:
                time.sleep(pause)
        for organisation in closed:
            self.stdout.write(f"fermée : {organisation.pk} {organisation}")
        self.stdout.write(
            f"{checked} structure(s) vérifiée(s), {len(closed)} nouvellement fermée(s), "
            f"{failed} en échec."
        )
