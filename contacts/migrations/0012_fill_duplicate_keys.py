"""Derive the duplicate keys (contacts.matching) of the records saved before they existed."""

from django.db import migrations

from contacts.matching import address_key, email_key, sound_key

BATCH = 2000


def fill(apps, schema_editor):
    Person = apps.get_model("contacts", "Person")
    Organisation = apps.get_model("contacts", "Organisation")
    people = []
    for person in Person.objects.order_by("pk").iterator(chunk_size=BATCH):
        person.email_key = email_key(person.email)
        person.sound_key = sound_key(person.last_name, person.first_name)
        people.append(person)
        if len(people) >= BATCH:
            Person.objects.bulk_update(people, ["email_key", "sound_key"])
            people = []
    Person.objects.bulk_update(people, ["email_key", "sound_key"])
    organisations = []
    for organisation in Organisation.objects.order_by("pk").iterator(chunk_size=BATCH):
        organisation.sound_key = sound_key(organisation.name)
        organisation.address_key = address_key(organisation.address, organisation.postal_code)
        organisations.append(organisation)
        if len(organisations) >= BATCH:
            Organisation.objects.bulk_update(organisations, ["sound_key", "address_key"])
            organisations = []
    Organisation.objects.bulk_update(organisations, ["sound_key", "address_key"])


class Migration(migrations.Migration):
    dependencies = [("contacts", "0011_duplicate_keys_pairs_and_sirene_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
