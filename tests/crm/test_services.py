import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crm.models import Project, ProjectMember, StageChange
from crm.projects.services import project_create, project_move
from tests.factories import PersonFactory, ProjectFactory


@pytest.mark.django_db
def test_creating_a_project_records_its_first_stage_and_lead(officer):
    lead = PersonFactory()
    project = project_create(by=officer, name="Ressourcerie de Créteil", lead=lead)
    assert project.members.get().person == lead
    first = project.stage_changes.get()
    assert (first.to_stage, first.to_status, first.by) == ("idea", "applicant", officer)


@pytest.mark.django_db
def test_each_move_is_recorded_and_the_current_stage_is_the_last_move(project, coach):
    project_move(project=project, by=coach, stage="launch", note="Statuts déposés")
    project_move(project=project, by=coach, status="on_hold")
    project.refresh_from_db()
    last = project.stage_changes.order_by("-at", "-pk").first()
    assert (
        (project.stage, project.status) == (last.to_stage, last.to_status) == ("launch", "on_hold")
    )
    assert project.stage_changes.count() == 3
    move = project.stage_changes.get(note="Statuts déposés")
    assert (move.from_stage, move.to_stage, move.by) == ("feasibility", "launch", coach)


@pytest.mark.django_db
def test_exiting_requires_a_reason(project, officer):
    with pytest.raises(ValidationError) as error:
        project_move(project=project, by=officer, status="exited")
    assert "motif" in error.value.message_dict["exit_reason"][0]
    assert project.stage_changes.count() == 1
    project_move(project=project, by=officer, status="exited", exit_reason="moved_away")
    project.refresh_from_db()
    assert project.exit_reason == "moved_away"
    assert project.exit_date is not None


@pytest.mark.django_db
def test_a_move_to_the_same_place_is_refused(project, officer):
    with pytest.raises(ValidationError):
        project_move(project=project, by=officer, stage=project.stage)


@pytest.mark.django_db
def test_database_refuses_an_exited_project_without_reason_and_two_leads(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(status="exited", exit_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectMember.objects.create(project=project, person=PersonFactory(), is_lead=True)


@pytest.mark.django_db
def test_project_history_keeps_every_change(project, officer):
    project.summary = "Atelier d'autoréparation"
    project.save()
    assert project.history.count() == 2
    assert project.history.first().summary == "Atelier d'autoréparation"


@pytest.mark.django_db
def test_exit_date_cannot_precede_entry_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(entry_date=datetime.date(2025, 1, 1), exit_date=datetime.date(2024, 1, 1))


@pytest.mark.django_db
def test_stage_changes_are_listed_newest_first(project, officer):
    project_move(project=project, by=officer, stage="launch")
    assert StageChange.objects.filter(project=project).first().to_stage == "launch"


@pytest.mark.django_db
def test_creating_a_project_with_a_new_lead_and_organisation_saves_them_together(officer):
    from contacts.models import Organisation, Person

    project = project_create(
        by=officer,
        name="Tiers-lieu de Noiseau",
        new_lead={"first_name": "Inès", "last_name": "Benali", "email": "INES@exemple.fr"},
        new_organisation={"name": "Tiers-lieu", "legal_form": "scic", "siret": "73282932000074"},
    )
    lead = project.members.get(is_lead=True).person
    assert lead.email == "ines@exemple.fr"
    assert project.organisation.siren == "732829320"
    assert Person.objects.count() == 1 and Organisation.objects.count() == 1


@pytest.mark.django_db
def test_a_new_lead_becomes_a_founder_of_the_projects_organisation(officer):
    from contacts.models import PersonOrganisation

    project = project_create(
        by=officer,
        name="Tiers-lieu de Noiseau",
        new_lead={"first_name": "Inès", "last_name": "Benali", "email": "ines@exemple.fr"},
        new_organisation={"name": "Tiers-lieu", "legal_form": "scic"},
    )
    membership = PersonOrganisation.objects.get()
    assert membership.organisation == project.organisation
    assert membership.person == project.members.get(is_lead=True).person
    assert membership.role == "founder"


@pytest.mark.django_db
def test_a_lead_keeps_the_role_already_recorded_in_the_organisation(officer):
    from contacts.models import PersonOrganisation
    from tests.factories import OrganisationFactory, PersonFactory

    lead, structure = PersonFactory(), OrganisationFactory()
    PersonOrganisation.objects.create(person=lead, organisation=structure, role="director")
    project_create(by=officer, name="Épicerie", lead=lead, organisation=structure)
    assert list(PersonOrganisation.objects.values_list("role", flat=True)) == ["director"]


@pytest.mark.django_db
def test_project_creation_writes_nothing_when_any_part_is_invalid(officer):
    from contacts.models import Organisation, Person

    with pytest.raises(ValidationError) as error:
        project_create(
            by=officer,
            name="",
            new_lead={"first_name": "Inès", "last_name": "", "email": "pas-un-courriel"},
            new_organisation={"name": "Tiers-lieu", "siret": "12345678901234"},
        )
    keys = set(error.value.message_dict)
    assert {"name", "lead_last_name", "lead_email", "organisation_siret"} <= keys
    assert not Project.objects.exists()
    assert not Person.objects.exists() and not Organisation.objects.exists()
