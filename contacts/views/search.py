"""JSON search of people and organisations for the autocomplete fields of forms."""

from django.contrib.auth.decorators import login_required

from contacts.models import Organisation, Person
from crm.core.autocomplete import autocomplete_response


def describe_person(person: Person) -> str:
    # Two people may share a name: the email tells them apart.
    return f"{person} ({person.email})" if person.email else str(person)


def describe_organisation(organisation: Organisation) -> str:
    commune = organisation.commune.name if organisation.commune_id else ""
    return f"{organisation} – {commune}" if commune else str(organisation)


@login_required
def person_search(request):
    return autocomplete_response(
        request,
        Person.objects.visible_to(request.user).current(),
        fields=["first_name", "last_name", "email"],
        ordering=["last_name", "first_name", "pk"],
        describe=describe_person,
    )


@login_required
def organisation_search(request):
    return autocomplete_response(
        request,
        Organisation.objects.visible_to(request.user).current().select_related("commune"),
        fields=["name", "siret", "rna"],
        ordering=["name", "pk"],
        describe=describe_organisation,
    )
