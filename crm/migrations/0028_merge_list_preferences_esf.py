from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0027_esf_participant_and_funding"),
        ("crm", "0027_list_preferences"),
    ]

    operations = []
