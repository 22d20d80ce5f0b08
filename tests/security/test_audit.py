"""History pages (field by field, scoped like the record) and the access log."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.models import AccessEvent, AccessEventKind
from crm.projects.services import project_move
from crm.security.audit import log_access_event
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def history_url(obj) -> str:
    return reverse(
        "security:history",
        kwargs={"app_label": obj._meta.app_label, "model_name": obj._meta.model_name, "pk": obj.pk},
    )


def edit_project(officer, project):
    """An officer changes the summary and moves the stage, as the admin would."""
    project._history_user = officer
    project.summary = "Réparation de vélos en pied d'immeuble"
    project.sector = "mobility"
    project.save()
    project_move(project=project, by=officer, stage="launch")


def test_the_history_shows_each_change_field_by_field_in_french(client, officer, project):
    edit_project(officer, project)
    client.force_login(officer)
    content = client.get(history_url(project)).content.decode()
    assert "Historique – Atelier vélo des Bords de Marne" in content
    assert "Résumé" in content and "Réparation de vélos en pied d&#x27;immeuble" in content
    # Choice labels, not codes; old → new.
    assert "Faisabilité" in content and "Lancement" in content
    assert officer.get_full_name() in content
    assert "Création" in content and "Modification" in content


def test_a_foreign_key_change_shows_the_names(client, officer, project, other_coach):
    project._history_user = officer
    project.coach = other_coach
    project.save()
    client.force_login(officer)
    content = client.get(history_url(project)).content.decode()
    assert other_coach.get_full_name() in content and "Julien" in content


def test_people_and_organisations_have_a_history_too(client, officer, project):
    person = project.members.get().person
    person.first_name = "Nadia"
    person.save()
    organisation = OrganisationFactory(name="Vélo solidaire")
    organisation.name = "Vélo solidaire SCIC"
    organisation.save()
    client.force_login(officer)
    assert "Nadia" in client.get(history_url(person)).content.decode()
    content = client.get(history_url(organisation)).content.decode()
    assert "Vélo solidaire" in content and "Vélo solidaire SCIC" in content


def test_the_history_is_scoped_like_the_record(client, project, coach, other_coach, manager):
    person = project.members.get().person
    loner = PersonFactory()
    client.force_login(coach)
    assert client.get(history_url(project)).status_code == 200
    assert client.get(history_url(person)).status_code == 200
    assert client.get(history_url(loner)).status_code == 404
    client.force_login(other_coach)
    assert client.get(history_url(project)).status_code == 404
    assert client.get(history_url(person)).status_code == 404
    client.force_login(manager)
    assert client.get(history_url(project)).status_code == 200


def test_a_model_without_registered_history_is_404(client, officer, project):
    client.force_login(officer)
    url = reverse(
        "security:history", kwargs={"app_label": "crm", "model_name": "user", "pk": officer.pk}
    )
    assert client.get(url).status_code == 404


def test_the_history_page_runs_a_fixed_number_of_queries(
    client, officer, project, django_assert_max_num_queries
):
    client.force_login(officer)
    for index in range(3):
        project.summary = f"Version {index}"
        project.save()
    # session, user, roles, object, history records, related users/organisations/communes
    with django_assert_max_num_queries(12):
        client.get(history_url(project))
    for index in range(30):
        project.summary = f"Version {index}"
        project.coach = officer if index % 2 else project.coach
        project.save()
    with django_assert_max_num_queries(12):
        assert client.get(history_url(project)).status_code == 200


def test_logins_failures_and_logouts_are_logged(officer):
    client = Client(HTTP_USER_AGENT="Firefox/140 " + "x" * 400)
    client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    client.post(reverse("logout"))
    kinds = list(AccessEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["login_failed", "login", "logout"]
    failed = AccessEvent.objects.get(kind="login_failed")
    assert failed.username == "officer_a" and failed.user is None
    assert failed.ip_address == "127.0.0.1"
    assert len(failed.user_agent) == 255
    assert AccessEvent.objects.get(kind="login").user == officer


def test_exports_and_imports_log_through_one_function(rf, officer):
    request = rf.get("/projects/export/")
    request.user = officer
    event = log_access_event(kind=AccessEventKind.EXPORT, request=request, detail="projets.csv")
    assert (event.user, event.username, event.detail) == (officer, "officer_a", "projets.csv")


def test_officers_read_the_access_log_and_others_cannot(client, officer, coach, manager):
    log_access_event(kind=AccessEventKind.LOGIN_FAILED, username="intrus")
    client.force_login(officer)
    content = client.get(reverse("security:access-log")).content.decode()
    assert "Journal d&#x27;accès" in content and "intrus" in content
    assert "Échec de connexion" in content
    for user in (coach, manager):
        client.force_login(user)
        assert client.get(reverse("security:access-log")).status_code == 403


def test_the_access_log_filters_by_kind(client, officer):
    log_access_event(kind=AccessEventKind.LOGIN_FAILED, username="intrus")
    log_access_event(kind=AccessEventKind.EXPORT, username="exporteur")
    client.force_login(officer)
    content = client.get(reverse("security:access-log"), {"kind": "export"}).content.decode()
    assert "exporteur" in content and "intrus" not in content


@pytest.mark.parametrize("size", [3, 60])
def test_the_access_log_runs_a_fixed_number_of_queries(
    client, officer, size, django_assert_max_num_queries
):
    for index in range(size):
        log_access_event(kind=AccessEventKind.LOGIN, user=officer, detail=f"n°{index}")
    client.force_login(officer)
    # session, user, roles (layout), count, page of events with their users, savepoints
    with django_assert_max_num_queries(9):
        assert client.get(reverse("security:access-log")).status_code == 200


def test_old_access_log_lines_are_purged(officer, settings):
    old = log_access_event(kind=AccessEventKind.LOGIN, user=officer)
    AccessEvent.objects.filter(pk=old.pk).update(
        at=timezone.now() - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS + 1)
    )
    recent = log_access_event(kind=AccessEventKind.LOGIN, user=officer)
    call_command("purge_access_log", stdout=io.StringIO())
    assert list(AccessEvent.objects.values_list("pk", flat=True)) == [recent.pk]
