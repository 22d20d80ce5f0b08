"""Daily, next to send_reminders: apply the retention periods.

Draws up an elimination list for what fell due, anonymises the lists the archives service
approved (or received), and purges the access log past ACCESS_LOG_RETENTION_DAYS."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from contacts.gdpr.archives import OPEN, READY, elimination_execute, elimination_propose
from contacts.gdpr.retention import due_by
from contacts.models import EliminationList, Person, RetentionRule
from crm.models import AccessEvent


class Command(BaseCommand):
    help = (
        "Applique les durées de conservation : établit les bordereaux d'élimination de ce qui "
        "arrive à échéance, anonymise les bordereaux visés par les archives et purge le "
        "journal d'accès."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Lister ce qui arrive à échéance sans rien écrire.",
        )

    def handle(self, *args, dry_run, **options):
        today = timezone.localdate()
        with translation.override("fr"):
            self._report_due(today)
            ready = EliminationList.objects.filter(status__in=READY).order_by("pk")
            log_limit = timezone.now() - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
            old_lines = AccessEvent.objects.filter(at__lt=log_limit)
            if dry_run:
                for elimination in ready:
                    self.stdout.write(
                        f"Bordereau n° {elimination.pk} visé : {elimination.count} dossier(s) "
                        "seraient anonymisé(s)."
                    )
                self.stdout.write(
                    f"{old_lines.count()} ligne(s) du journal d'accès antérieures au "
                    f"{log_limit:%d/%m/%Y} seraient supprimées."
                )
                self.stdout.write("Simulation : rien n'a été écrit.")
                return
            for elimination in elimination_propose(today=today):
                self.stdout.write(
                    f"Bordereau n° {elimination.pk} établi ({elimination.get_rule_display()}, "
                    f"{elimination.count} dossier(s)) : en attente du visa des archives."
                )
            for elimination in ready:
                erased, kept = elimination_execute(elimination=elimination, today=today)
                self.stdout.write(
                    f"Bordereau n° {elimination.pk} exécuté : {erased} dossier(s) anonymisé(s), "
                    f"{kept} conservé(s) (prolongation ou gel depuis le visa)."
                )
            deleted, _by_model = old_lines.delete()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{deleted} ligne(s) du journal d'accès antérieures au {log_limit:%d/%m/%Y} "
                    "supprimée(s)."
                )
            )

    def _report_due(self, today):
        listed = Person.objects.filter(elimination_lists__status__in=OPEN)
        due = list(due_by(today, Person.objects.exclude(pk__in=listed)))
        labels = dict(RetentionRule.choices)
        for rule in RetentionRule.values:
            batch = [person for person in due if person.rule == rule]
            if batch:
                years = sorted({person.reference.year for person in batch})
                self.stdout.write(
                    f"{labels[rule]} : {len(batch)} dossier(s) à échéance "
                    f"(années {years[0]}–{years[-1]})."
                )
        if not due:
            self.stdout.write("Aucun nouveau dossier à échéance.")
