from django.db import migrations


def create_defaults(apps, schema_editor):
    # The texts as this migration was written: later edits of DEFAULT_LETTERS change the
    # fallback for a missing row, not what a database already holds.
    from crm.models.letters import DEFAULT_LETTERS

    LetterTemplate = apps.get_model("crm", "LetterTemplate")
    for kind, (subject, body) in DEFAULT_LETTERS.items():
        LetterTemplate.objects.get_or_create(
            kind=str(kind), defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("crm", "0021_letter_templates")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
