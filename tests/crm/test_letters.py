"""A call's letters: templates officers edit with merge fields, one PDF per decided
application in a streamed ZIP, and the same letters e-mailed to the applicants."""

import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from crm.intake.services import letters
from crm.intake.services.calls import call_application_decide
from crm.models import LetterKind, LetterTemplate, TriageDecision, TriageOutcome
from tests.factories import (
    CallApplicationFactory,
    CallFactory,
    OrganisationFactory,
    PersonFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    """The PDF's words, one space between them (lines wrap anywhere)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def decided_call(officer):
    call = CallFactory(year=2026, title="Initiatives d'ESS")
    winner = CallApplicationFactory(
        call=call,
        project=ProjectFactory(
            name="Recyclerie du Mont-Mesly",
            lead=PersonFactory(first_name="Awa", last_name="Traoré", email="awa@exemple.fr"),
        ),
        amount_requested=3000,
    )
    call_application_decide(application=winner, by=officer, decision="winner", amount_awarded=2500)
    refused = CallApplicationFactory(
        call=call,
        project=ProjectFactory(
            name="Épicerie <b>solidaire</b>",
            lead=PersonFactory(first_name="Luc", last_name="Morel", email=""),
        ),
    )
    call_application_decide(application=refused, by=officer, decision="rejected")
    redirected = CallApplicationFactory(call=call, project=ProjectFactory(name="Vélo-école"))
    TriageDecision.objects.create(
        project=redirected.project,
        outcome=TriageOutcome.REDIRECTED,
        reason="Un prêt d'honneur lui conviendra mieux.",
        at=timezone.now(),
        partner=OrganisationFactory(name="France Active Val-de-Marne"),
    )
    call_application_decide(application=redirected, by=officer, decision="rejected")
    CallApplicationFactory(call=call)  # pending: no letter yet
    return call


def test_each_decision_gets_its_letter_kind(decided_call):
    kinds = {a.project.name: letters.letter_kind(a) for a in letters.decided(decided_call)}
    assert kinds == {
        "Recyclerie du Mont-Mesly": LetterKind.ACCEPTANCE,
        "Épicerie <b>solidaire</b>": LetterKind.REFUSAL,
        "Vélo-école": LetterKind.REDIRECTION,
    }


def test_merge_fields_are_filled_and_escaped(decided_call):
    by_name = {a.project.name: a for a in letters.decided(decided_call)}
    html = letters.letter(by_name["Épicerie <b>solidaire</b>"])["html"]
    assert "Épicerie &lt;b&gt;solidaire&lt;/b&gt;" in html and "<b>solidaire" not in html
    redirected = letters.letter(by_name["Vélo-école"])["html"]
    assert "France Active Val-de-Marne" in redirected


def test_the_letters_of_a_call_read_a_fixed_number_of_queries(
    decided_call, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # applications, leads, triage decisions
        rows = list(letters.decided(decided_call))
        for application in rows:
            letters.merge_values(application)


def test_officer_downloads_every_letter_of_a_call_as_a_zip(client, officer, decided_call):
    client.force_login(officer)
    response = client.get(reverse("crm:call-letters-zip", args=[decided_call.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    texts = {name: _pdf_text(archive.read(name)) for name in names}
    winner = next(text for text in texts.values() if "Mont-Mesly" in text)
    assert "2 500 €" in winner and "Awa Traoré" in winner
    assert any("France Active Val-de-Marne" in text for text in texts.values())


def test_an_edited_template_is_what_the_letters_say(client, officer, decided_call):
    client.force_login(officer)
    template = LetterTemplate.objects.get(kind=LetterKind.ACCEPTANCE)
    response = client.post(
        reverse("crm:letter-template-edit", args=[template.pk]),
        {
            "version": template.version,
            "subject": "Votre subvention {annee}",
            "body": "Bravo {porteur} !\n\nLe projet {projet} reçoit {montant}.",
        },
    )
    assert response.status_code == 302
    winner = next(a for a in letters.decided(decided_call) if a.decision == "winner")
    text = _pdf_text(letters.letter_pdf(winner))
    assert "Votre subvention 2026" in text
    assert "Bravo Awa Traoré !" in text and "reçoit 2 500 €" in text


def test_an_unknown_merge_field_is_refused(client, officer):
    client.force_login(officer)
    template = LetterTemplate.objects.get(kind=LetterKind.REFUSAL)
    response = client.post(
        reverse("crm:letter-template-edit", args=[template.pk]),
        {"version": template.version, "subject": "Objet", "body": "{projet} {user.password}"},
    )
    assert response.status_code == 400
    assert "Champ de fusion inconnu" in response.content.decode()


def test_coach_and_manager_cannot_generate_or_edit_letters(client, coach, manager, decided_call):
    template = LetterTemplate.objects.get(kind=LetterKind.REFUSAL)
    for user in (coach, manager):
        client.force_login(user)
        assert client.get(reverse("crm:call-letters-zip", args=[decided_call.pk])).status_code in (
            403,
            404,
        )
        assert (
            client.get(reverse("crm:letter-template-edit", args=[template.pk])).status_code == 403
        )


def test_the_letters_are_emailed_to_the_applicants_with_their_pdf(client, officer, decided_call):
    client.force_login(officer)
    response = client.post(reverse("crm:call-letters-send", args=[decided_call.pk]))
    assert response.status_code == 302
    # Two leads have an address (Luc Morel has none); the immediate backend ran the task.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.to[0] for m in mail.outbox if m.to[0])
    assert len(mail.outbox) == 2
    awa = next(m for m in mail.outbox if m.to == ["awa@exemple.fr"])
    assert "2026" in awa.subject and "\n" not in awa.subject
    (name, content, media_type) = awa.attachments[0]
    assert name.endswith(".pdf") and media_type == "application/pdf"
    assert "Mont-Mesly" in _pdf_text(content)
