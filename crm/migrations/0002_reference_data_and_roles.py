"""Seed the 16 communes, "outside the territory", the themes and the role groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    from crm.projects.reference import load_communes, load_themes
    from crm.core.roles import sync_roles

    # Permissions are normally created after migrate; create them now so the groups get
    # them on the very first migrate.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    load_communes(apps)
    load_themes(apps)
    sync_roles(apps)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["officer", "coach", "manager"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0001_initial"),
        ("contacts", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
