"""Nightly (or on demand): find the probable duplicates the duplicates page lists."""

from django.core.management.base import BaseCommand

from contacts.duplicate_scan import scan_duplicates


class Command(BaseCommand):
    help = "Recherche les doublons probables (porteur·ses et structures) pour la page des doublons."

    def handle(self, *args, **options):
        counts = scan_duplicates()
        self.stdout.write(
            f"{counts['person']} paire(s) de porteur·ses, {counts['organisation']} de structures."
        )
