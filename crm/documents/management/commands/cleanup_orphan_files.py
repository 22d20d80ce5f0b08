"""Delete stored document files that no version names (left by a rolled-back upload).

Files younger than --min-age-minutes (default 60) are kept: an upload may be between
writing its file and committing its row."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from crm.documents import storage
from crm.documents.models import DocumentVersion


class Command(BaseCommand):
    help = "Supprime les fichiers de documents qu'aucune version ne référence."

    def add_arguments(self, parser):
        parser.add_argument("--min-age-minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, min_age_minutes, dry_run, **options):
        store = storage.documents_storage()
        cutoff = timezone.now() - datetime.timedelta(minutes=min_age_minutes)
        known = set(DocumentVersion.objects.values_list("storage_name", flat=True))
        deleted = 0
        for name in storage.all_names():
            if name in known:
                continue
            try:
                modified = store.get_modified_time(name)
            except (NotImplementedError, OSError):
                modified = None
            if modified is not None and min_age_minutes and modified > cutoff:
                continue
            if not dry_run:
                store.delete(name)
            deleted += 1
        verb = "à supprimer" if dry_run else "supprimé(s)"
        self.stdout.write(f"{deleted} fichier(s) orphelin(s) {verb}.")
