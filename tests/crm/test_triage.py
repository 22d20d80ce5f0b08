"""Officers triage new applications: accept, redirect to a partner, decline."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.intake.services import triage as intake
from crm.models import StageChange, TriageDecision
from tests.factories import OrganisationFactory, PersonFactory, ProjectFactory

LIST = reverse("crm:triage-list")


@pytest.fixture
def applicant(db):
    lead = PersonFactory(first_name="Nadia", last_name="Benali", email="nadia@exemple.fr")
    return ProjectFactory(
        name="Tiers-lieu des Bords de Marne",
        status="applicant",
        source="online_form",
        entry_date=None,
        lead=lead,
    )


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Chambre régionale de l'ESS", kind="partner")


def detail(project):
    return reverse("crm:triage-detail", args=[project.pk])


# --- Permission ladder ------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, applicant):
    for url in (LIST, detail(applicant)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("crm:triage-decline", args=[applicant.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coach", "manager", "no_role_user"])
def test_other_roles_may_not_triage(client, request, persona, applicant):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(applicant)).status_code == 403
    response = client.post(
        reverse("crm:triage-decline", args=[applicant.pk]),
        {"decline-exit_reason": "not_eligible", "decline-reason": "Hors territoire"},
    )
    assert response.status_code == 403
    applicant.refresh_from_db()
    assert applicant.status == "applicant"


@pytest.mark.django_db
def test_officer_lists_only_pending_applications_with_flags(client, officer, applicant, project):
    client.force_login(officer)
    response = client.get(LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Tiers-lieu des Bords de Marne" in content and "Nadia Benali" in content
    assert "Atelier vélo des Bords de Marne" not in content  # already accompanied


@pytest.mark.django_db
def test_an_unknown_application_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("crm:triage-detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_triage_list_runs_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    ProjectFactory.create_batch(3, status="applicant")
    with django_assert_max_num_queries(20) as small:
        client.get(LIST, {"sort": "-commune"})
    ProjectFactory.create_batch(30, status="applicant")
    # session, user, roles, count, page rows (lead name and flags in subqueries), filter
    # choices: none of them per row.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(LIST, {"sort": "-commune"})


# --- Decisions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_accepts_an_application(client, officer, coach, applicant):
    client.force_login(officer)
    page = client.get(detail(applicant)).content.decode()
    assert "Accepter la candidature" in page
    response = client.post(
        reverse("crm:triage-accept", args=[applicant.pk]),
        {
            "accept-officer": officer.pk,
            "accept-coach": coach.pk,
            "accept-hours_allocated": "12,5",
            "accept-note": "Projet solide",
            "accept-version": applicant.version,
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == "active"
    assert applicant.coach == coach and applicant.officer == officer
    assert applicant.hours_allocated == Decimal("12.5")
    assert applicant.entry_date is not None
    decision = TriageDecision.objects.get(project=applicant)
    assert decision.outcome == "accepted" and decision.by == officer
    change = StageChange.objects.filter(project=applicant).first()
    assert change.from_status == "applicant" and change.to_status == "active"
    (email,) = mail.outbox
    assert email.to == ["nadia@exemple.fr"]
    assert "acceptée" in email.subject and coach.get_full_name() in email.body
    # The decision shows in the page's history.
    assert "Acceptée : accompagnement" in client.get(detail(applicant)).content.decode()


@pytest.mark.django_db
def test_accepting_needs_a_coach_and_keeps_what_was_typed(client, officer, applicant):
    client.force_login(officer)
    response = client.post(
        reverse("crm:triage-accept", args=[applicant.pk]),
        {"accept-officer": officer.pk, "accept-hours_allocated": "-3", "accept-note": "À voir"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in content
    assert "supérieure ou égale à 0" in content
    assert "À voir" in content
    applicant.refresh_from_db()
    assert applicant.status == "applicant"


@pytest.mark.django_db
def test_officer_redirects_to_a_partner_with_an_optional_email(client, officer, applicant, partner):
    client.force_login(officer)
    response = client.post(
        reverse("crm:triage-redirect", args=[applicant.pk]),
        {
            "redirect-partner": partner.pk,
            "redirect-reason": "Projet de coopérative : la CRESS accompagne mieux.",
            "redirect-notify_applicant": "on",
            "redirect-version": applicant.version,
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == "exited" and applicant.exit_reason == "redirected"
    decision = TriageDecision.objects.get(project=applicant)
    assert decision.partner == partner and decision.applicant_emailed
    (email,) = mail.outbox
    assert "Chambre régionale de l'ESS" in email.body and "la CRESS accompagne mieux" in email.body


@pytest.mark.django_db
def test_redirecting_without_the_email_sends_nothing(officer, applicant, partner):
    intake.application_redirect(project=applicant, by=officer, partner=partner, reason="CRESS")
    assert not mail.outbox
    assert not TriageDecision.objects.get().applicant_emailed


@pytest.mark.django_db
def test_officer_declines_with_a_reason_and_the_applicant_is_told(client, officer, applicant):
    client.force_login(officer)
    response = client.post(
        reverse("crm:triage-decline", args=[applicant.pk]),
        {
            "decline-exit_reason": "not_eligible",
            "decline-reason": "Le projet est hors du territoire.",
            "decline-version": applicant.version,
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == "exited" and applicant.exit_reason == "not_eligible"
    change = StageChange.objects.filter(project=applicant).first()
    assert "hors du territoire" in change.note
    (email,) = mail.outbox
    assert email.to == ["nadia@exemple.fr"]
    assert "ne pouvons pas y donner suite" in email.body
    assert "Le projet est hors du territoire." in email.body


@pytest.mark.django_db
def test_declining_needs_a_reason(client, officer, applicant):
    client.force_login(officer)
    response = client.post(
        reverse("crm:triage-decline", args=[applicant.pk]),
        {"decline-exit_reason": "not_eligible", "decline-reason": ""},
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not TriageDecision.objects.exists()


@pytest.mark.django_db
def test_an_application_is_decided_only_once(officer, applicant):
    intake.application_decline(project=applicant, by=officer, reason="Hors critères")
    with pytest.raises(ValidationError, match="déjà été traitée"):
        intake.application_decline(project=applicant, by=officer, reason="Encore")
    assert TriageDecision.objects.count() == 1


@pytest.mark.django_db
def test_a_decided_application_shows_no_decision_forms(client, officer, applicant):
    intake.application_decline(
        project=applicant,
        by=officer,
        reason="Hors critères",
        at=datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC),
    )
    client.force_login(officer)
    content = client.get(detail(applicant)).content.decode()
    assert "Accepter la candidature" not in content
    assert "02/11/2026" in content and "Refusée" in content


@pytest.mark.django_db
def test_accepting_into_a_cohort_puts_the_project_in_the_promotion(
    client, officer, coach, applicant
):
    import datetime

    from followups.models import Cohort

    cohort = Cohort.objects.create(
        name="Promotion printemps",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2099, 9, 1),
    )
    Cohort.objects.create(
        name="Promotion close",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 7, 1),
    )
    client.force_login(officer)
    page = client.get(detail(applicant)).content.decode()
    assert "Promotion printemps" in page and "Promotion close" not in page
    client.post(
        reverse("crm:triage-accept", args=[applicant.pk]),
        {
            "accept-officer": officer.pk,
            "accept-coach": coach.pk,
            "accept-hours_allocated": "10",
            "accept-version": applicant.version,
            "accept-cohort": cohort.pk,
        },
    )
    assert list(cohort.projects.all()) == [applicant]
