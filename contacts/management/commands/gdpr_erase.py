"""Erase a person's identifying data everywhere it lives (right to erasure)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from contacts.gdpr.erasure import ErasureRefused, erasure_preview, person_erase
from contacts.models import Person


class Command(BaseCommand):
    help = (
        "Efface (anonymise) les données d'identification d'une personne : fiche, historique, "
        "journal d'accès, notes, inscriptions, candidatures et traces d'import."
    )

    def add_arguments(self, parser):
        parser.add_argument("person_pk", type=int)
        parser.add_argument("--no-input", action="store_true", help="Ne pas demander confirmation.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Effacer même si la personne porte un projet en cours (avec --reason).",
        )
        parser.add_argument("--reason", default="", help="Motif, obligatoire avec --force.")

    def handle(self, *args, person_pk, no_input, force, reason, **options):
        with translation.override("fr"):
            person = Person.objects.filter(pk=person_pk).first()
            if person is None:
                raise CommandError(f"Aucune personne n° {person_pk}.")
            if hasattr(person, "erasure"):
                erasure = person.erasure
                self.stdout.write(
                    f"Déjà fait : la personne n° {person_pk} a été effacée le "
                    f"{erasure.at:%d/%m/%Y à %H:%M}."
                )
                return
            if not no_input:
                preview = erasure_preview(person)
                self.stdout.write(f"Effacement de la personne n° {person_pk} ({person}) :")
                for place, count in sorted(preview.items()):
                    self.stdout.write(f"  {place} : {count} ligne(s)")
                if input("Confirmer ? [oui/non] ").strip().lower() not in ("oui", "o", "yes", "y"):
                    raise CommandError("Abandon : rien n'a été effacé.")
            try:
                result = person_erase(person=person, force=force, reason=reason)
            except ErasureRefused as refused:
                raise CommandError(" ".join(refused.messages)) from refused
            total = sum(result.counts.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Personne n° {person_pk} effacée : {total} ligne(s) réécrite(s) "
                    f"dans {len(result.counts)} emplacement(s)."
                )
            )
