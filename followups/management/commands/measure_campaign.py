"""Daily: the follow-up campaign's tasks ("Mesure à +1 an") for the milestones that fell
due, and the tasks whose measure was recorded closed. Safe to run several times a day."""

from django.core.management.base import BaseCommand
from django.utils import translation

from followups.campaigns import campaign_run


class Command(BaseCommand):
    help = (
        "Crée les tâches de mesure de suivi (+6 mois, +1 an, +3 ans) arrivées à échéance "
        "(idempotent) et clôt celles dont la mesure est saisie."
    )

    def handle(self, *args, **options):
        with translation.override("fr"):
            counts = campaign_run()
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['created']} tâche(s) créée(s), {counts['closed']} close(s), "
                f"{counts['without_owner']} projet(s) sans responsable."
            )
        )
