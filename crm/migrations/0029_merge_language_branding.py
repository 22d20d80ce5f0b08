from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0028_branding_colour"),
        ("crm", "0028_merge_list_preferences_esf"),
    ]

    operations = []
