"""Daily reminders: each user gets their overdue and due-soon actions once a day, and the
project's officer hears about actions overdue for too long. Safe to run several times a day."""

from django.core.management.base import BaseCommand
from django.utils import translation

from followups.reminders import send_reminders


class Command(BaseCommand):
    help = "Envoie les rappels d'actions du jour (idempotent) et signale les retards aux chargé·es."

    def handle(self, *args, **options):
        with translation.override("fr"):
            reminded, escalated = send_reminders()
        self.stdout.write(
            self.style.SUCCESS(
                f"{reminded} rappel(s) envoyé(s), {escalated} signalement(s) de retard."
            )
        )
