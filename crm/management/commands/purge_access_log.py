import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from crm.models import AccessEvent


class Command(BaseCommand):
    help = "Delete access-log lines older than ACCESS_LOG_RETENTION_DAYS (run daily)."

    def handle(self, *args, **options):
        limit = timezone.now() - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
        deleted, _by_model = AccessEvent.objects.filter(at__lt=limit).delete()
        self.stdout.write(f"{deleted} access-log line(s) older than {limit:%d/%m/%Y} deleted.")
