"""The project page, its forms (create, edit, move, archive) and their permission ladder."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Organisation, Person
from crm.models import Project, ProjectMeasure
from crm.projects.services import project_move
from tests.factories import OrganisationFactory, PersonFactory, ProjectFactory, commune
from tests.security.helpers import visible_text


def url(name, project):
    return reverse(f"crm:{name}", args=[project.pk])


# --- permission ladder -------------------------------------------------------------------

GET_VIEWS = ["project-detail", "project-edit"]
POST_VIEWS = ["project-move", "project-archive", "project-restore"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_VIEWS + POST_VIEWS)
def test_anonymous_is_sent_to_login(client, project, name):
    method = client.post if name in POST_VIEWS else client.get
    response = method(url(name, project))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_VIEWS + POST_VIEWS)
def test_coach_cannot_reach_another_coachs_project(client, other_coach, project, name):
    client.force_login(other_coach)
    method = client.post if name in POST_VIEWS else client.get
    assert method(url(name, project), {"stage": "launch"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_VIEWS + POST_VIEWS)
def test_user_without_role_cannot_reach_a_project(client, no_role_user, project, name):
    client.force_login(no_role_user)
    method = client.post if name in POST_VIEWS else client.get
    assert method(url(name, project)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["project-edit", *POST_VIEWS])
def test_manager_reads_but_may_not_change(client, manager, project, name):
    client.force_login(manager)
    method = client.post if name in POST_VIEWS else client.get
    assert method(url(name, project), {"stage": "launch"}).status_code == 403
    project.refresh_from_db()
    assert project.stage == "feasibility" and project.archived_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["project-archive", "project-restore"])
def test_coach_may_not_archive_their_project(client, coach, project, name):
    client.force_login(coach)
    assert client.post(url(name, project)).status_code == 403


@pytest.mark.django_db
def test_state_changes_refuse_get(client, officer, project):
    client.force_login(officer)
    for name in POST_VIEWS:
        assert client.get(url(name, project)).status_code == 405


@pytest.mark.django_db
def test_only_officers_may_open_the_creation_form(client, coach, manager, officer):
    create = reverse("crm:project-create")
    assert "/accounts/login/" in client.get(create)["Location"]
    for user in (coach, manager):
        client.force_login(user)
        assert client.get(create).status_code == 403
    client.force_login(officer)
    assert "Nouveau projet" in client.get(create).content.decode()


# --- project page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_manager_reads_the_page_without_any_button(client, manager, project):
    client.force_login(manager)
    content = client.get(url("project-detail", project)).content.decode()
    assert "Atelier vélo des Bords de Marne" in content
    assert "étape 2 sur 5 : Faisabilité" in content
    for button in ("Modifier", "Archiver", "Enregistrer le changement"):
        assert button not in content


@pytest.mark.django_db
def test_coach_may_edit_and_move_but_not_archive(client, coach, project):
    client.force_login(coach)
    content = client.get(url("project-detail", project)).content.decode()
    assert "Modifier" in content and "Enregistrer le changement" in content
    assert "Archiver" not in content


@pytest.mark.django_db
def test_officer_sees_header_people_and_indicators(client, officer, project):
    lead = project.members.get().person
    project.organisation = OrganisationFactory(name="Vélos solidaires", siret="73282932000074")
    project.hours_allocated = Decimal("1250.5")
    project.save()
    ProjectMeasure.objects.create(
        project=project,
        measured_on=datetime.date(2026, 1, 15),
        kind="yearly",
        jobs_permanent=3,
        jobs_fixed_term=2,
        fte=Decimal("4.5"),
        turnover=Decimal("125000"),
        funds_grant=Decimal("25000"),
        funds_honour_loan=Decimal("8000"),
    )
    client.force_login(officer)
    content = client.get(url("project-detail", project)).content.decode()
    assert lead.full_name in content and "porteur·se principal·e" in content
    assert "Vélos solidaires" in content and "73282932000074" in content
    assert "Créteil" in content and officer.get_full_name() in content
    # French number formatting: thousands grouped, decimal comma.
    assert "1\xa0250,5&nbsp;h" in content
    assert "125\xa0000\xa0€" in content and "33\xa0000\xa0€" in content
    assert "4,5" in content and "Subventions" in content and "Prêts d&#x27;honneur" in content
    assert "Archiver" in content


@pytest.mark.django_db
def test_timeline_tells_moves_and_edits_newest_first(client, officer, coach, project):
    project_move(project=project, by=coach, stage="launch", note="Statuts déposés")
    client.force_login(officer)
    edit = client.get(url("project-edit", project)).context["form"]
    data = {**edit.initial, "hours_allocated": "30", "summary": "Un atelier"}
    data = {k: v for k, v in data.items() if v is not None}
    data["themes"] = []
    response = client.post(url("project-edit", project), data)
    assert response.status_code == 302
    content = client.get(url("project-detail", project)).content.decode()
    edited = content.index("Fiche modifiée")
    moved = content.index("Étape : Faisabilité → Lancement")
    entered = content.index("Entrée dans le programme")
    assert edited < moved < entered
    assert "heures allouées" in content and "résumé" in content
    assert "Statuts déposés" in content and f"par {coach}" in content


@pytest.mark.django_db
def test_project_names_link_to_their_page(client, officer, project):
    client.force_login(officer)
    link = f'href="{project.get_absolute_url()}"'
    assert link in client.get(reverse("crm:project-list")).content.decode()
    assert link in client.get(reverse("crm:home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "coach"])
def test_project_page_runs_a_fixed_number_of_queries(
    client, request, persona, coach, officer, django_assert_max_num_queries
):
    project = ProjectFactory(coach=coach, officer=officer)
    client.force_login(request.getfixturevalue(persona))

    def grow():
        project.members.create(person=PersonFactory())
        project_move(
            project=project, by=coach, stage="launch" if project.stage != "launch" else "idea"
        )
        ProjectMeasure.objects.create(
            project=project,
            measured_on=datetime.date(2020, 1, 1)
            + datetime.timedelta(days=project.measures.count()),
            kind="yearly",
        )

    grow()
    with django_assert_max_num_queries(21) as small:
        client.get(url("project-detail", project))
    for _ in range(15):
        grow()
    # session, user, roles, project, members, latest measure, stage changes, history:
    # none per person, move or edit.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("project-detail", project))


# --- create ------------------------------------------------------------------------------


def create_data(**overrides):
    data = {
        "name": "Ressourcerie des Bords de Marne",
        "stage": "idea",
        "status": "applicant",
        "hours_allocated": "20",
        "lead_mode": "new",
        "lead_first_name": " Awa ",
        "lead_last_name": "Diallo",
        "lead_email": "Awa.Diallo@Exemple.FR ",
        "lead_phone": "06 12 34 56 78",
        "organisation_mode": "new",
        "organisation_name": "Ressourcerie BdM",
        "organisation_legal_form": "association",
        "organisation_siret": "732 829 320 00074",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_officer_creates_a_project_with_a_new_lead_and_organisation(client, officer):
    client.force_login(officer)
    data = create_data(commune=commune("Créteil").pk, lead_commune=commune("Sucy-en-Brie").pk)
    response = client.post(reverse("crm:project-create"), data)
    project = Project.objects.get(name="Ressourcerie des Bords de Marne")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    lead = project.members.get(is_lead=True).person
    assert (lead.first_name, lead.email) == ("Awa", "awa.diallo@exemple.fr")
    assert lead.phone.replace(" ", "") in ("+33612345678", "0612345678")
    assert lead.commune.name == "Sucy-en-Brie"
    assert project.organisation.siret == "73282932000074"
    assert project.stage_changes.get().by == officer


@pytest.mark.django_db
def test_officer_creates_a_project_for_existing_people(client, officer):
    person = PersonFactory()
    organisation = OrganisationFactory()
    client.force_login(officer)
    data = create_data(
        lead_mode="existing",
        lead_person=person.pk,
        organisation_mode="existing",
        organisation=organisation.pk,
    )
    assert client.post(reverse("crm:project-create"), data).status_code == 302
    project = Project.objects.get(name="Ressourcerie des Bords de Marne")
    assert project.members.get().person == person and project.organisation == organisation
    assert Person.objects.count() == 1 and Organisation.objects.count() == 1


@pytest.mark.django_db
def test_invalid_creation_names_the_fields_and_keeps_what_was_typed(client, officer):
    PersonFactory(email="awa.diallo@exemple.fr")
    client.force_login(officer)
    data = create_data(name="", organisation_siret="12345678901234", lead_last_name="")
    response = client.post(reverse("crm:project-create"), data)
    content = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 400
    assert "Nom du projet : " in text
    assert "Nom du porteur·se : Indiquez le nom du porteur·se." in text
    # Typed values are still there.
    assert 'value="Awa.Diallo@Exemple.FR "' in content or "Awa.Diallo@Exemple.FR" in content
    assert "Ressourcerie BdM" in content
    assert not Project.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_model_errors_of_the_new_lead_and_organisation_show_on_their_fields(client, officer):
    PersonFactory(email="awa.diallo@exemple.fr")
    client.force_login(officer)
    response = client.post(
        reverse("crm:project-create"), create_data(organisation_siret="12345678901234")
    )
    text = visible_text(response)
    assert response.status_code == 400
    assert "Courriel du porteur·se : Une autre personne utilise déjà cette adresse" in text
    assert "SIRET : " in text
    assert not Project.objects.exists() and Person.objects.count() == 1


@pytest.mark.django_db
def test_choosing_an_existing_person_requires_one(client, officer):
    client.force_login(officer)
    response = client.post(reverse("crm:project-create"), create_data(lead_mode="existing"))
    assert "Choisissez la personne porteuse du projet." in response.content.decode()


# --- edit --------------------------------------------------------------------------------


def edit_data(client, project, **changes):
    form = client.get(url("project-edit", project)).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    data.update(changes)
    return data


@pytest.mark.django_db
def test_coach_edits_only_the_descriptive_fields(client, coach, project):
    client.force_login(coach)
    data = edit_data(client, project, summary="Réparation de vélos", hours_allocated="999")
    assert "hours_allocated" not in client.get(url("project-edit", project)).context["form"].fields
    assert client.post(url("project-edit", project), data).status_code == 302
    project.refresh_from_db()
    assert project.summary == "Réparation de vélos" and project.hours_allocated == 0


@pytest.mark.django_db
def test_second_save_of_a_stale_form_is_refused_and_shows_both_versions(
    client, officer, coach, project
):
    client.force_login(officer)
    stale = edit_data(client, project, summary="Version de Camille", hours_allocated="40")
    # Meanwhile the coach saves the same project.
    client.force_login(coach)
    assert (
        client.post(
            url("project-edit", project), edit_data(client, project, summary="Version de Julien")
        ).status_code
        == 302
    )

    client.force_login(officer)
    response = client.post(url("project-edit", project), stale)
    content = response.content.decode()
    assert response.status_code == 409
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in content
    assert "Version de Camille" in content and "Version de Julien" in content
    assert f"Dernier enregistrement par {coach}" in content
    differing = [row["name"] for row in response.context["conflict"] if row["differs"]]
    assert differing == ["summary", "hours_allocated"]
    project.refresh_from_db()
    assert project.summary == "Version de Julien" and project.hours_allocated == 0

    # Saving again, knowingly, applies the officer's version.
    retry = response.context["form"]
    assert retry["version"].value() == project.version
    assert (
        client.post(url("project-edit", project), {**stale, "version": project.version}).status_code
        == 302
    )
    project.refresh_from_db()
    assert project.summary == "Version de Camille" and project.hours_allocated == 40


@pytest.mark.django_db
def test_a_move_between_loading_and_saving_the_form_is_kept(client, officer, coach, project):
    client.force_login(officer)
    data = edit_data(client, project, summary="Nouveau résumé")
    project_move(project=project, by=coach, stage="launch")
    assert client.post(url("project-edit", project), data).status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.summary) == ("launch", "Nouveau résumé")


# --- move --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coach_moves_their_project_with_a_note(client, coach, project):
    client.force_login(coach)
    response = client.post(
        url("project-move", project),
        {"stage": "launch", "status": "active", "note": "Statuts déposés"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "launch"
    assert project.stage_changes.filter(note="Statuts déposés", by=coach).exists()


@pytest.mark.django_db
def test_exiting_without_a_reason_shows_the_error_on_the_field(client, officer, project):
    client.force_login(officer)
    response = client.post(
        url("project-move", project), {"stage": "feasibility", "status": "exited", "note": "x"}
    )
    assert response.status_code == 400
    form = response.context["move_form"]
    assert "Le changement d'étape ou de statut n'a pas été enregistré" in response.content.decode()
    assert "Indiquez le motif de sortie du projet." in form.errors["exit_reason"]
    assert form["note"].value() == "x"
    project.refresh_from_db()
    assert project.status == "active"


@pytest.mark.django_db
def test_move_returns_to_a_local_next_page_only(client, officer, project):
    client.force_login(officer)
    board = reverse("crm:project-board") + "?q=velo&stage=idea"
    response = client.post(url("project-move", project), {"stage": "launch", "next": board})
    assert response["Location"] == board
    response = client.post(
        url("project-move", project), {"stage": "idea", "next": "https://evil.example/"}
    )
    assert response["Location"] == project.get_absolute_url()


@pytest.mark.django_db
def test_a_card_move_keeps_an_exited_projects_status_and_reason(client, officer, project):
    project_move(project=project, by=officer, status="exited", exit_reason="abandoned")
    client.force_login(officer)
    assert client.post(url("project-move", project), {"stage": "launch"}).status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.status, project.exit_reason) == ("launch", "exited", "abandoned")


# --- archive -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_archives_then_finds_and_restores_a_project(client, officer, project):
    client.force_login(officer)
    # Following the redirect shows (and consumes) the confirmation message.
    response = client.post(url("project-archive", project), follow=True)
    assert "est archivé" in response.content.decode()
    assert project.name not in client.get(reverse("crm:project-list")).content.decode()
    assert project.name not in client.get(reverse("crm:project-board")).content.decode()
    archived = client.get(reverse("crm:project-archived")).content.decode()
    assert project.name in archived
    page = client.get(url("project-detail", project)).content.decode()
    assert "Restaurer" in page and "Projet archivé le" in page
    assert client.post(url("project-restore", project)).status_code == 302
    assert project.name in client.get(reverse("crm:project-list")).content.decode()
    timeline = client.get(url("project-detail", project)).content.decode()
    assert "Projet archivé" in timeline and "Projet restauré" in timeline


@pytest.mark.django_db
def test_new_project_and_archive_links_are_for_officers(client, officer, manager, project):
    client.force_login(manager)
    content = client.get(reverse("crm:project-list")).content.decode()
    assert "Nouveau projet" not in content and "Archivés" not in content
    client.force_login(officer)
    content = client.get(reverse("crm:project-list")).content.decode()
    assert reverse("crm:project-create") in content and reverse("crm:project-archived") in content


@pytest.mark.django_db
def test_a_new_timeline_source_shows_on_the_page(client, officer, project, monkeypatch):
    from crm.projects import registry

    def meetings(project, user):
        yield {
            "kind": "meeting",
            "at": timezone.now(),
            "who": officer,
            "title": "Rendez-vous de diagnostic",
            "detail": "",
            "url": "/somewhere/",
        }

    monkeypatch.setattr(registry, "timeline_sources", [*registry.timeline_sources, meetings])
    client.force_login(officer)
    content = client.get(url("project-detail", project)).content.decode()
    assert content.index("Rendez-vous de diagnostic") < content.index("Entrée dans le programme")
    assert 'class="timeline-meeting"' in content and 'href="/somewhere/"' in content


@pytest.mark.django_db
def test_a_deactivated_coach_does_not_block_saving_the_project(client, officer, coach, project):
    coach.is_active = False
    coach.save()
    client.force_login(officer)
    data = edit_data(client, project, summary="Toujours suivi")
    assert client.post(url("project-edit", project), data).status_code == 302
    project.refresh_from_db()
    assert project.coach == coach and project.summary == "Toujours suivi"


@pytest.mark.django_db
def test_archived_list_is_scoped_like_the_list(client, officer, coach, other_coach, project):
    from crm.projects.services import project_archive

    theirs = ProjectFactory(name="Compost de Sucy", coach=other_coach)
    project_archive(project=project, by=officer)
    project_archive(project=theirs, by=officer)
    archived = reverse("crm:project-archived")
    assert "/accounts/login/" in client.get(archived)["Location"]
    client.force_login(coach)
    content = client.get(archived).content.decode()
    assert project.name in content and "Compost de Sucy" not in content
