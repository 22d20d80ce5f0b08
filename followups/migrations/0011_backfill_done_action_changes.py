"""Actions done before their changes were logged get a "done" change on their done day,
so the project's timeline keeps showing them as done."""

import datetime

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    Action = apps.get_model("followups", "Action")
    ActionChange = apps.get_model("followups", "ActionChange")
    batch = []
    for action in Action.objects.filter(done_on__isnull=False).iterator(chunk_size=2000):
        at = timezone.make_aware(datetime.datetime.combine(action.done_on, datetime.time(9)))
        batch.append(ActionChange(action_id=action.pk, kind="done", at=at, by_id=action.owner_id))
        if len(batch) >= 2000:
            ActionChange.objects.bulk_create(batch)
            batch = []
    ActionChange.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("followups", "0010_action_changes_and_version")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
