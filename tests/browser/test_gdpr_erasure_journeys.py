"""An officer erases a person's data from their page, through the confirmation."""

from playwright.sync_api import expect

from contacts.models import Erasure
from followups.models import Meeting
from tests.browser.conftest import log_in
from tests.factories import MeetingFactory, OfficerFactory, PersonFactory, ProjectFactory


def officer_logs_in(page):
    OfficerFactory(username="camille", password="correct-horse-battery")
    log_in(page, "camille", "correct-horse-battery")


def test_officer_erases_a_person_after_confirming(page, transactional_db, assert_accessible):
    person = PersonFactory(first_name="Zoé", last_name="Vanderstraeten", phone="0611223344")
    project = ProjectFactory(
        name="Ressourcerie", lead=person, status="exited", exit_reason="completed"
    )
    MeetingFactory(project=project, summary="Zoé Vanderstraeten présente son budget.")
    officer_logs_in(page)
    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Effacer les données personnelles…").click()
    expect(page.get_by_role("heading", name="Ce qui sera effacé")).to_be_visible()
    expect(page.get_by_role("heading", name="Ce qui reste (anonyme)")).to_be_visible()
    assert_accessible(page)

    # Without the confirmation box, nothing goes and the error names the box.
    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez la case pour confirmer")
    assert not Erasure.objects.exists()
    assert_accessible(page)

    page.get_by_label("Je confirme l'effacement définitif").check()
    page.get_by_role("button", name="Effacer définitivement").click()
    page.wait_for_url(f"**{person.get_absolute_url()}")
    expect(page.get_by_text("Données d'identification effacées le")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Anonyme N° {person.pk}")
    assert Meeting.objects.get(project=project).summary == "[effacé] présente son budget."
    assert_accessible(page)


def _prospect(last_name: str, days_ago: int):
    import datetime

    from django.utils import timezone

    from contacts.models import Person

    person = PersonFactory(last_name=last_name)
    Person.objects.filter(pk=person.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    ProjectFactory(lead=person, status="exited", exit_reason="other")
    return person


def test_officer_extends_a_record_about_to_fall_due(page, transactional_db, assert_accessible):
    person = _prospect("Prochainement", 3 * 365 - 20)
    officer_logs_in(page)
    page.goto("/contacts/people/")
    page.get_by_role("link", name="Conservation des données").click()
    expect(page.get_by_role("heading", name="Conservation : échéances à venir")).to_be_visible()
    expect(page.get_by_role("link", name=f"PROCHAINEMENT {person.first_name}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Prolonger").click()
    page.get_by_role("button", name="Prolonger").click()
    expect(page.get_by_role("alert")).to_contain_text("Motif")
    assert_accessible(page)
    page.get_by_label("Conserver jusqu'au").fill("2099-01-31")
    page.get_by_label("Motif").fill("Contentieux en cours devant le tribunal administratif")
    page.get_by_role("button", name="Prolonger").click()
    page.wait_for_url("**/contacts/retention/")
    expect(page.get_by_text("est conservée jusqu'au 31/01/2099")).to_be_visible()
    expect(page.get_by_role("link", name=f"PROCHAINEMENT {person.first_name}")).to_have_count(0)


def test_officer_records_the_archives_visa_then_anonymises(
    page, transactional_db, assert_accessible
):
    from django.utils import timezone

    from contacts.models import EliminationList, Person

    person = _prospect("Archivable", 4 * 365)
    officer_logs_in(page)
    page.goto("/contacts/archives/")
    assert_accessible(page)
    page.get_by_role("button", name="Établir les bordereaux du jour").click()
    expect(page.get_by_text("1 bordereau(x) établi(s)")).to_be_visible()
    elimination = EliminationList.objects.get()
    page.get_by_role("link", name=str(elimination.pk), exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Bordereau d'élimination n° {elimination.pk}")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Enregistrer le visa d'élimination").click()
    expect(page.get_by_role("alert")).to_contain_text("Référence du visa")
    assert_accessible(page)
    page.get_by_label("Date du visa").fill(timezone.localdate().isoformat())
    page.get_by_label("Référence du visa des archives").fill("AD94-2026-031")
    page.get_by_role("button", name="Enregistrer le visa d'élimination").click()
    expect(page.get_by_text("Visa enregistré")).to_be_visible()
    expect(page.get_by_text("référence AD94-2026-031")).to_be_visible()
    page.get_by_role("button", name="Anonymiser les dossiers maintenant").click()
    expect(page.get_by_text("1 dossier(s) anonymisé(s)")).to_be_visible()
    assert Person.objects.get(pk=person.pk).first_name == "Anonyme"
    assert_accessible(page)
