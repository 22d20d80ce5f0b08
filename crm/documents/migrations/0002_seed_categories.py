from django.db import migrations

# The categories officers start with; they add and retire others on the categories page.
CATEGORIES = (
    "Business plan",
    "Budget prévisionnel",
    "Statuts",
    "Convention",
    "Facture",
    "Feuille d'émargement",
    "Autre",
)


def seed(apps, schema_editor):
    DocumentCategory = apps.get_model("documents", "DocumentCategory")
    for name in CATEGORIES:
        DocumentCategory.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
