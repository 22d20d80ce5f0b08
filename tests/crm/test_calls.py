"""Running a call for projects: applications, scoring, committee decisions within the
envelope, notification letters, and the results for the dashboard."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from crm.intake.selectors import call_results
from crm.intake.services import calls as intake
from crm.models import Application, Call
from tests.factories import CallApplicationFactory, CallFactory, ProjectFactory, commune

NBSP = "\u00a0"


def euros(text):
    return text.replace(" ", NBSP)


@pytest.fixture
def call(db):
    return CallFactory(year=2026, envelope=Decimal("10000"))


@pytest.fixture
def application(call, project):
    return CallApplicationFactory(call=call, project=project, amount_requested=Decimal("6000"))


# --- Permission ladder ------------------------------------------------------------------------


def read_urls(call, application):
    return [
        reverse("crm:call-list"),
        reverse("crm:call-detail", args=[call.pk]),
        reverse("crm:call-application-list", args=[call.pk]),
        reverse("crm:call-application-detail", args=[application.pk]),
    ]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, call, application):
    for url in read_urls(call, application):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coach", "no_role_user"])
def test_coaches_have_no_access_to_calls(client, request, persona, call, application):
    client.force_login(request.getfixturevalue(persona))
    for url in read_urls(call, application):
        assert client.get(url).status_code == 403
    decide = reverse("crm:call-application-decide", args=[application.pk])
    assert client.post(decide, {"decision": "winner", "amount_awarded": "100"}).status_code == 403


@pytest.mark.django_db
def test_manager_reads_call_pages_but_decides_nothing(client, manager, call, application):
    client.force_login(manager)
    for url in read_urls(call, application):
        assert client.get(url).status_code == 200
    page = client.get(reverse("crm:call-application-detail", args=[application.pk]))
    assert "Enregistrer la décision" not in page.content.decode()
    for name in ("call-application-decide", "call-application-score", "call-application-payments"):
        url = reverse(f"crm:{name}", args=[application.pk])
        assert client.post(url, {"decision": "winner", "amount_awarded": "100"}).status_code == 403
    assert client.get(reverse("crm:call-create")).status_code == 403
    assert client.get(reverse("crm:call-application-create", args=[call.pk])).status_code == 403
    application.refresh_from_db()
    assert application.decision == "pending"


@pytest.mark.django_db
def test_officer_sees_the_call_with_its_envelope(client, officer, call, application):
    intake.call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=Decimal("2500")
    )
    client.force_login(officer)
    content = client.get(reverse("crm:call-detail", args=[call.pk])).content.decode()
    assert euros("10 000 €") in content  # envelope
    assert euros("2 500 €") in content  # awarded
    assert euros("7 500 €") in content  # left
    listing = client.get(reverse("crm:call-list")).content.decode()
    assert "Initiatives d&#x27;ESS" in listing and euros("7 500 €") in listing


@pytest.mark.django_db
def test_an_unknown_application_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("crm:call-application-detail", args=[999999])).status_code == 404


# --- Creating calls and applications -----------------------------------------------------------


@pytest.mark.django_db
def test_officer_creates_an_edition_and_a_duplicate_year_is_refused(client, officer, call):
    client.force_login(officer)
    data = {
        "year": "2027",
        "title": "Initiatives d'ESS",
        "envelope": "50000",
        "opens_on": "2027-03-01",
        "closes_on": "2027-05-31",
        "criteria": "Emplois",
    }
    response = client.post(reverse("crm:call-create"), data)
    assert response.status_code == 302
    assert Call.objects.get(year=2027).envelope == Decimal("50000")
    response = client.post(reverse("crm:call-create"), {**data, "year": "2026"})
    assert response.status_code == 400
    # The clash names the edition that holds the year, with a link to it.
    html = response.content.decode()
    assert "cette valeur est déjà celle de « " in html and escape(str(call)) in html
    assert f'href="{reverse("crm:call-detail", args=[call.pk])}"' in html
    response = client.post(
        reverse("crm:call-create"), {**data, "year": "2028", "closes_on": "2027-01-01"}
    )
    assert "La clôture doit suivre l&#x27;ouverture." in response.content.decode()


@pytest.mark.django_db
def test_officer_adds_an_application_once_per_project(client, officer, call, project):
    client.force_login(officer)
    url = reverse("crm:call-application-create", args=[call.pk])
    response = client.post(url, {"project": project.pk, "amount_requested": "4000"})
    assert response.status_code == 302
    assert Application.objects.get().amount_requested == Decimal("4000")
    # The project is no longer offered, and the service refuses a second application.
    assert "Atelier vélo des Bords de Marne" not in client.get(url).content.decode()
    with pytest.raises(ValidationError, match="déjà candidaté"):
        intake.call_application_create(call=call, project=project, amount_requested=1)


@pytest.mark.django_db
def test_the_database_refuses_two_applications_of_a_project_to_a_call(application):
    with pytest.raises(IntegrityError):
        Application.objects.create(
            call=application.call, project=application.project, amount_requested=1
        )


# --- Scoring and deciding ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_scoring_sheet_records_scores_and_the_communes_opinion(client, officer, application):
    client.force_login(officer)
    response = client.post(
        reverse("crm:call-application-score", args=[application.pk]),
        {
            "commune_opinion": "reserved",
            "commune_opinion_comment": "Local à trouver",
            "score_jobs": "4",
            "score_local_roots": "5",
            "score_social_utility": "3",
            "score_viability": "2",
            "version": application.version,
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.total_score == 14 and application.commune_opinion == "reserved"
    listing = client.get(reverse("crm:call-application-list", args=[application.call.pk]))
    assert "Réservé" in listing.content.decode()


@pytest.mark.django_db
def test_a_score_above_five_is_refused(client, officer, application):
    client.force_login(officer)
    response = client.post(
        reverse("crm:call-application-score", args=[application.pk]), {"score_jobs": "9"}
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


@pytest.mark.django_db
def test_the_decision_form_refuses_to_exceed_the_envelope(client, officer, call, application):
    other = CallApplicationFactory(call=call, amount_requested=Decimal("8000"))
    intake.call_application_decide(
        application=other, by=officer, decision="winner", amount_awarded=Decimal("7000")
    )
    client.force_login(officer)
    response = client.post(
        reverse("crm:call-application-decide", args=[application.pk]),
        {"decision": "winner", "amount_awarded": "3500", "version": application.version},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "L&#x27;enveloppe de l&#x27;appel est dépassée" in content
    assert "il reste " + euros("3 000 €") + " à attribuer" in content
    assert 'value="3500"' in content  # what was typed is kept
    application.refresh_from_db()
    assert application.decision == "pending"
    # Within what is left, it goes through.
    response = client.post(
        reverse("crm:call-application-decide", args=[application.pk]),
        {"decision": "winner", "amount_awarded": "3000", "version": application.version},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.amount_awarded == Decimal("3000") and application.decided_by == officer


@pytest.mark.django_db
def test_awarded_cannot_exceed_requested(officer, application):
    with pytest.raises(ValidationError, match="montant demandé"):
        intake.call_application_decide(
            application=application, by=officer, decision="winner", amount_awarded=7000
        )


@pytest.mark.django_db
def test_rejecting_clears_the_amount_and_frees_the_envelope(officer, call, application):
    intake.call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=6000
    )
    intake.call_application_decide(application=application, by=officer, decision="rejected")
    application.refresh_from_db()
    assert application.amount_awarded == 0
    assert intake.awarded_total(call) == 0


@pytest.mark.django_db
def test_changing_a_winners_amount_counts_its_own_amount_as_free(officer, call, application):
    intake.call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=6000
    )
    other = CallApplicationFactory(call=call, amount_requested=4000)
    intake.call_application_decide(
        application=other, by=officer, decision="winner", amount_awarded=4000
    )
    # The envelope is full, yet lowering the first winner's amount is allowed.
    intake.call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=5000
    )
    assert intake.awarded_total(call) == 9000


@pytest.mark.django_db(transaction=True)
def test_two_decisions_racing_cannot_overshoot_the_envelope(officer):
    """Two officers award at the same moment: the lock on the call serialises them, so the
    second sees the first's award (on SQLite the database lock does the same)."""
    call = CallFactory(year=2030, envelope=Decimal("10000"))
    first = CallApplicationFactory(call=call, amount_requested=8000)
    second = CallApplicationFactory(call=call, amount_requested=8000)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(application):
        try:
            barrier.wait(timeout=5)
            intake.call_application_decide(
                application=application, by=officer, decision="winner", amount_awarded=6000
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # SQLite: "database is locked" for the loser
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(app,)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("ok") == 1
    assert intake.awarded_total(call) == Decimal("6000")


@pytest.mark.django_db
def test_payments_follow_the_decision(officer, application):
    with pytest.raises(ValidationError, match="lauréat"):
        intake.call_application_record_payments(
            application=application,
            by=officer,
            first_payment_on=datetime.date(2026, 9, 1),
            balance_paid_on=None,
        )
    intake.call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=3000
    )
    with pytest.raises(ValidationError, match="avant le premier versement"):
        intake.call_application_record_payments(
            application=application,
            by=officer,
            first_payment_on=datetime.date(2026, 9, 1),
            balance_paid_on=datetime.date(2026, 8, 1),
        )
    intake.call_application_record_payments(
        application=application,
        by=officer,
        first_payment_on=datetime.date(2026, 9, 1),
        balance_paid_on=datetime.date(2027, 3, 1),
    )
    application.refresh_from_db()
    assert application.balance_paid_on == datetime.date(2027, 3, 1)


# --- Lists, letters and results ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_application_list_filters_by_decision_and_commune(client, officer, call, application):
    sucy = ProjectFactory(name="Compost de Sucy", commune=commune("Sucy-en-Brie"))
    other = CallApplicationFactory(call=call, project=sucy)
    intake.call_application_decide(
        application=other, by=officer, decision="winner", amount_awarded=1000
    )
    client.force_login(officer)
    url = reverse("crm:call-application-list", args=[call.pk])
    content = client.get(url, {"decision": ["winner"]}).content.decode()
    assert "Compost de Sucy" in content and "Atelier vélo des Bords de Marne" not in content
    content = client.get(url, {"commune": commune("Créteil").pk}).content.decode()
    assert "Compost de Sucy" not in content and "Atelier vélo des Bords de Marne" in content


@pytest.mark.django_db
def test_the_application_list_runs_a_fixed_number_of_queries(
    client, officer, call, django_assert_max_num_queries
):
    client.force_login(officer)
    CallApplicationFactory.create_batch(3, call=call)
    url = reverse("crm:call-application-list", args=[call.pk])
    with django_assert_max_num_queries(25) as small:
        client.get(url, {"sort": "-commune"})
    CallApplicationFactory.create_batch(30, call=call)
    # session, user, roles, call, envelope figures, count, page rows with their project
    # and commune joined, filter choices: none per row.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"sort": "-commune"})


@pytest.mark.django_db
def test_the_call_list_runs_a_fixed_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    for year in (2020, 2021):
        CallApplicationFactory.create_batch(2, call=CallFactory(year=year))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("crm:call-list"))
    for year in range(2010, 2020):
        CallApplicationFactory(call=CallFactory(year=year))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("crm:call-list"))


@pytest.mark.django_db
def test_the_winners_letter_is_a_pdf_with_the_amount(client, officer, manager, application):
    intake.call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=Decimal("2500")
    )
    client.force_login(manager)  # reading a letter is reading
    response = client.get(reverse("crm:call-application-letter", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "a retenu votre projet" in text
    assert "2 500" in text.replace(NBSP, " ") and "€" in text


@pytest.mark.django_db
def test_the_rejection_letter_says_so(client, officer, application):
    intake.call_application_decide(application=application, by=officer, decision="rejected")
    client.force_login(officer)
    response = client.get(reverse("crm:call-application-letter", args=[application.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "pas été retenu" in text


@pytest.mark.django_db
def test_no_letter_before_the_committee_decides(client, officer, application):
    client.force_login(officer)
    response = client.get(reverse("crm:call-application-letter", args=[application.pk]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_call_results_give_winners_and_amounts_by_commune_and_sector(
    officer, call, django_assert_num_queries
):
    creteil = ProjectFactory(name="Recyclerie", sector="circular")
    sucy = ProjectFactory(name="Épicerie", sector="food", commune=commune("Sucy-en-Brie"))
    sucy2 = ProjectFactory(name="Vélo", sector="mobility", commune=commune("Sucy-en-Brie"))
    for project, amount in ((creteil, 3000), (sucy, 2000), (sucy2, 1000)):
        app = CallApplicationFactory(call=call, project=project, amount_requested=amount)
        intake.call_application_decide(
            application=app, by=officer, decision="winner", amount_awarded=amount
        )
    CallApplicationFactory(call=call)  # pending: not a winner
    with django_assert_num_queries(3):
        results = call_results(call)
    assert [w["project"].name for w in results["winners"]] == ["Recyclerie", "Vélo", "Épicerie"]
    # Ties on the amount are ordered by commune name.
    assert results["by_commune"] == [
        {"commune": "Créteil", "winners": 1, "amount": Decimal("3000")},
        {"commune": "Sucy-en-Brie", "winners": 2, "amount": Decimal("3000")},
    ]
    assert {row["sector"]: row["amount"] for row in results["by_sector"]} == {
        "circular": Decimal("3000"),
        "food": Decimal("2000"),
        "mobility": Decimal("1000"),
    }
    assert results["total"] == Decimal("6000")


def test_amounts_are_written_the_french_way():
    assert intake.euros(25000) == euros("25 000 €")
    assert intake.euros(Decimal("1250.5")) == euros("1 250,50 €")


@pytest.mark.django_db
def test_the_administrator_finds_calls_applications_and_decisions_in_the_admin(
    admin_client, application
):
    for name in ("call", "application", "registration", "triagedecision"):
        assert admin_client.get(reverse(f"admin:crm_{name}_changelist")).status_code == 200
