from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """Store each project's latest meeting start (one UPDATE for every project)."""
    Project = apps.get_model("crm", "Project")
    Meeting = apps.get_model("followups", "Meeting")
    latest = Meeting.objects.filter(project=OuterRef("pk")).order_by("-start").values("start")[:1]
    Project.objects.update(last_meeting_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0011_project_last_meeting_at"),
        ("followups", "0005_meeting_individual_hours_index"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
