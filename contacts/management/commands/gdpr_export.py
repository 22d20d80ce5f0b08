"""python manage.py gdpr_export PERSON_PK --output FILE.zip: the right of access from the
command line (the same ZIP as the person page's button), written to the access log."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contacts.gdpr.export_archive import person_data_export
from contacts.models import Person


class Command(BaseCommand):
    help = "Exporte tout ce que le CRM conserve sur une personne (droit d'accès), en ZIP."

    def add_arguments(self, parser):
        parser.add_argument("person_pk", type=int, help="Numéro de la fiche de la personne.")
        parser.add_argument(
            "--output", required=True, help="Fichier ZIP à écrire (il ne doit pas exister)."
        )

    def handle(self, *args, person_pk, output, **options):
        person = Person.objects.filter(pk=person_pk).first()
        if person is None:
            raise CommandError(f"Aucune personne n° {person_pk}.")
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} existe déjà : choisissez un autre nom de fichier.")
        if not path.parent.is_dir():
            raise CommandError(f"Le dossier {path.parent} n'existe pas.")
        path.write_bytes(person_data_export(person=person))
        self.stdout.write(f"Données de la fiche n° {person.pk} écrites dans {path}.")
