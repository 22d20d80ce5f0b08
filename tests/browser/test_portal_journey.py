"""The entrepreneur space on a phone (375 × 812): an officer invites the lead of a project,
who sets a password, sees the next step and a shared note, marks the step done, registers
for a workshop and downloads their data; the coach then sees the step done. axe checks
every page of the space."""

import datetime
import io
import re
import zipfile

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from followups.models import MeetingNote
from followups.services import action_create
from tests.browser.conftest import log_in
from tests.factories import (
    CoachFactory,
    EventFactory,
    MeetingFactory,
    OfficerFactory,
    PersonFactory,
    ProjectFactory,
)

STAFF_PASSWORD = "correct-horse-battery"
PASSWORD = "Mon-espace-solide-2026"


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    # A long journey on a shared machine: a page may take a while under load.
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


def _no_sideways_scroll(page):
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_an_invited_entrepreneur_follows_their_path_on_a_phone(
    phone, transactional_db, assert_accessible
):
    page = phone
    OfficerFactory(username="claire", password=STAFF_PASSWORD)
    coach = CoachFactory(username="julien", password=STAFF_PASSWORD, first_name="Julien")
    person = PersonFactory(first_name="Chloé", last_name="Lefèvre", email="chloe@exemple.fr")
    project = ProjectFactory(name="Ateliers d'artistes", coach=coach, lead=person, stage="launch")
    meeting = MeetingFactory(project=project, led_by=coach)
    MeetingNote.objects.create(
        meeting=meeting, text="Revoir le plan de trésorerie.", visibility="entrepreneur"
    )
    MeetingNote.objects.create(meeting=meeting, text="Avis interne.", visibility="internal")
    start = timezone.now() + datetime.timedelta(days=12)
    EventFactory(
        title="Atelier : trouver un local",
        start=start,
        end=start + datetime.timedelta(hours=3),
        capacity=12,
    )

    # The officer invites Chloé from her page.
    log_in(page, "claire", STAFF_PASSWORD)
    page.goto(f"/contacts/people/{person.pk}/")
    page.get_by_role("button", name="Inviter dans son espace").click()
    expect(page.get_by_text("Invitation envoyée à chloe@exemple.fr")).to_be_visible()
    link = re.search(r"http\S+/espace/invitation/\S+/", mail.outbox[-1].body).group(0)
    path = link[link.index("/espace/") :]

    # Chloé opens the link and sets her password.
    page.context.clear_cookies()
    page.goto(path)
    expect(page.get_by_role("heading", name="Bienvenue dans votre espace")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_password1").fill("trop-court")
    page.locator("#id_password2").fill("trop-court")
    page.get_by_role("button", name="Enregistrer et entrer").click()
    expect(page.locator("#id_password1_error")).to_contain_text("trop court")
    assert_accessible(page)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer et entrer").click()
    expect(page.get_by_role("heading", name="Bonjour Chloé")).to_be_visible()

    # Her coach sets her a next step; she sees it with her path.
    from crm.models import User

    user = User.objects.get(username="chloe@exemple.fr")
    action_create(
        project=project,
        title="Envoyer le prévisionnel",
        owner=user,
        due_on=timezone.localdate() + datetime.timedelta(days=5),
        by=coach,
    )
    page.reload()
    expect(page.get_by_role("heading", name="Envoyer le prévisionnel")).to_be_visible()
    expect(page.locator(".stage-path [aria-current=step]")).to_have_text("Lancement")
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Notes et documents").click()
    expect(page.get_by_text("Revoir le plan de trésorerie.")).to_be_visible()
    expect(page.get_by_text("Avis interne.")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Accueil").click()
    page.get_by_label("Un mot pour votre accompagnateur·rice (facultatif)").fill(
        "Envoyé ce matin par courriel."
    )
    page.get_by_role("button", name="C'est fait").click()
    expect(page.get_by_text("Étape « Envoyer le prévisionnel » marquée faite.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ateliers").click()
    page.get_by_role("button", name="M'inscrire").click()
    expect(
        page.get_by_text("Vous êtes inscrit·e à « Atelier : trouver un local ».")
    ).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Candidatures").click()
    expect(
        page.get_by_role("heading", name="Mes candidatures aux appels à projets")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mes coordonnées").click()
    expect(page.locator("#id_email")).to_have_value("chloe@exemple.fr")
    assert_accessible(page)

    page.get_by_role("link", name="Mes données").click()
    assert_accessible(page)
    # The archive holds a PDF summary: it takes a few seconds to make.
    with page.expect_download(timeout=180_000) as download:
        page.get_by_role("link", name="Télécharger mes données").click(no_wait_after=True)
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    assert any(name.endswith("donnees.json") for name in archive.namelist())

    # A staff page is out of her reach.
    response = page.goto(f"/projects/{project.pk}/")
    assert response.status == 404

    # Julien sees the step done, by Chloé, with her word.
    page.context.clear_cookies()
    log_in(page, "julien", STAFF_PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_text("Action faite : Envoyer le prévisionnel")).to_be_visible()
    expect(page.get_by_text("Envoyé ce matin par courriel.")).to_be_visible()


def test_an_expired_link_says_so_and_asks_for_a_new_one(phone, transactional_db, assert_accessible):
    from tests.crm.portal.helpers import expire, invite

    person = PersonFactory(first_name="Marc", email="marc@exemple.fr")
    ProjectFactory(lead=person, coach=CoachFactory())
    invitation, token = invite(person)
    expire(invitation)
    phone.goto(f"/espace/invitation/{token}/")
    expect(phone.get_by_role("heading", name="Ce lien ne fonctionne plus")).to_be_visible()
    expect(phone.get_by_text("Ce lien a expiré")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="Demander un nouveau lien").click()
    expect(phone.get_by_role("heading", name="Demande transmise")).to_be_visible()
    assert_accessible(phone)
