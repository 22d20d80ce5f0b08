"""Personal data in the browser: a manager reads the register of processing and downloads
it; an officer downloads a person's data and records the withdrawal of a consent."""

import io
import zipfile

from playwright.sync_api import expect

from contacts.gdpr.consents import consent_give
from contacts.models import Consent, ConsentOrigin
from crm.models import AccessEvent, AccessEventKind
from followups.models import MeetingNote, NoteVisibility
from tests.browser.conftest import log_in
from tests.factories import ManagerFactory, MeetingFactory, OfficerFactory, ProjectFactory

INTERNAL = "Le comité hésite encore sur le local."


def test_manager_reads_the_register_and_downloads_it(page, transactional_db, assert_accessible):
    ManagerFactory(username="helene", password="correct-horse-battery")
    log_in(page, "helene", "correct-horse-battery")
    page.get_by_role("link", name="Registre des traitements (RGPD)").click()
    expect(page.get_by_role("heading", name="Registre des traitements (RGPD)")).to_be_visible()
    expect(page.get_by_role("heading", name="Lettre d'information")).to_be_visible()
    accompaniment = page.get_by_role("region", name="Accompagnement des porteur·ses de projet")
    expect(accompaniment.get_by_text("3 ans après la sortie de l'accompagnement")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en PDF").click()
    assert download.value.suggested_filename == "registre-des-traitements.pdf"


def test_officer_exports_a_persons_data_and_records_a_withdrawal(
    page, transactional_db, assert_accessible
):
    OfficerFactory(username="camille", password="correct-horse-battery")
    project = ProjectFactory(name="Recyclerie du Mont-Mesly")
    person = project.people.get()
    meeting = MeetingFactory(project=project)
    MeetingNote.objects.create(meeting=meeting, text=INTERNAL, visibility=NoteVisibility.INTERNAL)
    consent_give(person=person, purpose="newsletter", origin=ConsentOrigin.PUBLIC_FORM)
    log_in(page, "camille", "correct-horse-battery")
    page.goto(person.get_absolute_url())
    expect(page.get_by_text("Formulaire d'inscription en ligne")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter ses données (RGPD)").click()
    assert download.value.suggested_filename == f"donnees-personnelles-{person.pk}.zip"
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    summary = archive.read(f"donnees-personnelles-{person.pk}/resume.html").decode()
    assert INTERNAL in summary and "Note interne" in summary
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT, person_pk=person.pk).exists()

    page.get_by_role("button", name="Enregistrer le retrait Lettre d'information").click()
    expect(page.get_by_text("Le retrait du consentement « Lettre d'information »")).to_be_visible()
    expect(page.get_by_text("retiré le")).to_be_visible()
    assert not Consent.objects.get(person=person).is_active
    assert_accessible(page)
