"""An officer writes a template, then an e-mail to a project's entrepreneur from the
project page with it (locmem backend), and finds it in the project's timeline and on the
person's page."""

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import CoachFactory, OfficerFactory, PersonFactory, ProjectFactory

PASSWORD = "correct-horse-battery"


def test_compose_and_send_an_email_and_see_it_in_the_timeline(
    page, transactional_db, assert_accessible
):
    OfficerFactory(username="ines", password=PASSWORD, first_name="Inès", last_name="Roche")
    lead = PersonFactory(first_name="Nadia", last_name="Benali", email="nadia@exemple.fr")
    project = ProjectFactory(name="Recyclerie du Mont-Mesly", coach=CoachFactory(), lead=lead)
    log_in(page, "ines", PASSWORD)
    page.goto("/message-templates/new/")
    assert_accessible(page)
    page.get_by_label("Nom du modèle").fill("Point d'étape")
    page.get_by_label("Objet").fill("Point d'étape – {{ projet.nom }}")
    page.get_by_label("Message").fill("Bonjour {{ personne.prenom }},\nOù en êtes-vous ?")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le modèle d'e-mail est enregistré.")).to_be_visible()

    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Écrire un e-mail").click()
    expect(page.get_by_role("heading", name="Écrire un e-mail")).to_be_visible()
    page.get_by_label("Partir d'un modèle").select_option(label="Point d'étape")
    page.get_by_role("button", name="Utiliser ce modèle").click()
    expect(page.get_by_label("Objet")).to_have_value("Point d'étape – {{ projet.nom }}")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer l'e-mail").click()
    expect(
        page.get_by_text("E-mail « Point d'étape – Recyclerie du Mont-Mesly » envoyé")
    ).to_be_visible()
    expect(
        page.get_by_text("E-mail envoyé : Point d'étape – Recyclerie du Mont-Mesly")
    ).to_be_visible()
    (email,) = mail.outbox
    assert email.to == ["nadia@exemple.fr"] and email.body.startswith("Bonjour Nadia,")

    page.goto(f"/contacts/people/{lead.pk}/")
    expect(page.get_by_role("heading", name="E-mails envoyés")).to_be_visible()
    expect(page.get_by_text("Point d'étape – Recyclerie du Mont-Mesly")).to_be_visible()
    assert_accessible(page)
