"""The project follow-up sheet (fiche de suivi) as PDF and XLSX: what it holds, what it
never holds (internal notes, notes reserved to the provider), who may download it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import AccessEvent, AccessEventKind, ProjectMeasure
from followups.models import Cohort, MeetingNote, NoteVisibility, TimeKind
from tests.factories import (
    ActionFactory,
    CallApplicationFactory,
    CallFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

INTERNAL = "Note interne : le comité hésite sur ce projet."
PROVIDER = "Note prestataire : relancer la banque en interne."
SHAREABLE = "À retenir : prévoir le prévisionnel sur trois ans."
HOSTILE_SUMMARY = '=HYPERLINK("http://exemple.invalid")'


def pdf_text(response) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # French amounts use narrow and ordinary no-break spaces.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def workbook(response):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(response.content))


def sheet_values(book, title) -> list[list]:
    return [list(row) for row in book[title].iter_rows(values_only=True)]


@pytest.fixture
def full_project(project, coach):
    """`project` with a lead, a co-founder, meetings with notes of every visibility, an
    action open and one done, a collective session, an application and measures."""
    lead = project.members.get().person
    lead.employment_situation_at_entry = "jobseeker"
    lead.save()
    project.organisation = OrganisationFactory(name="Vélos des Bords de Marne")
    project.hours_allocated = Decimal("10")
    project.exit_date = datetime.date(2026, 6, 30)
    project.situation_at_exit = "self_employed"
    project.save()
    project.members.create(person=PersonFactory(first_name="Inès", last_name="Moreau"))
    meeting = MeetingFactory(
        project=project,
        led_by=coach,
        duration_minutes=120,
        summary="Budget revu ensemble.",
        decisions="Demander un prêt d'honneur.",
        start=datetime.datetime(2026, 2, 3, 9, 30, tzinfo=datetime.UTC),
    )
    for text, visibility in (
        (INTERNAL, NoteVisibility.INTERNAL),
        (PROVIDER, NoteVisibility.PROVIDER),
        (SHAREABLE, NoteVisibility.ENTREPRENEUR),
    ):
        MeetingNote.objects.create(meeting=meeting, text=text, visibility=visibility)
    MeetingFactory(project=project, led_by=coach, duration_minutes=30, summary=HOSTILE_SUMMARY)
    cohort = Cohort.objects.create(
        name="Promotion 2026",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    MeetingFactory(
        project=project,
        led_by=coach,
        duration_minutes=180,
        time_kind=TimeKind.COLLECTIVE,
        cohort=cohort,
    )
    ActionFactory(project=project, owner=coach, title="Envoyer le budget prévisionnel")
    ActionFactory(
        project=project, owner=coach, title="Ouvrir un compte", done_on=datetime.date(2026, 2, 1)
    )
    CallApplicationFactory(
        project=project, call=CallFactory(year=2026), amount_requested=Decimal("6000")
    )
    ProjectMeasure.objects.create(
        project=project, measured_on=datetime.date(2025, 3, 1), kind="entry", jobs_permanent=1
    )
    ProjectMeasure.objects.create(
        project=project,
        measured_on=datetime.date(2026, 6, 30),
        kind="exit",
        jobs_permanent=3,
        funds_honour_loan=Decimal("8000"),
    )
    return project


def pdf_url(project):
    return reverse("sheets:project-fiche-pdf", args=[project.pk])


def xlsx_url(project):
    return reverse("sheets:project-fiche-xlsx", args=[project.pk])


def test_officer_downloads_a_pdf_with_the_project_and_only_shareable_notes(
    client, officer, full_project
):
    client.force_login(officer)
    response = client.get(pdf_url(full_project))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "Atelier vélo des Bords de Marne" in text
    assert "Vélos des Bords de Marne" in text
    assert SHAREABLE in text
    assert "Demander un prêt d'honneur." in text
    # Even an officer, who reads internal notes on screen, never gets them on the sheet.
    assert INTERNAL not in text
    assert PROVIDER not in text
    assert "partageable avec le·la porteur·se" in text  # the footer states the rule
    assert "Page 1 /" in text
    assert "Demandeur·se d'emploi" in text  # situation at entry (FSE+)
    assert "6 000" in text  # amount requested


def test_coach_of_the_project_downloads_the_pdf_without_calls(client, coach, full_project):
    client.force_login(coach)
    response = client.get(pdf_url(full_project))
    assert response.status_code == 200
    text = pdf_text(response)
    assert SHAREABLE in text
    assert INTERNAL not in text and PROVIDER not in text
    assert "ne sont consultables que par les chargé·es de mission" in text


def test_the_xlsx_has_one_sheet_per_section_with_french_headers_and_values(
    client, manager, full_project
):
    client.force_login(manager)
    response = client.get(xlsx_url(full_project))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    book = workbook(response)
    assert book.sheetnames == [
        "Projet",
        "Porteur·ses",
        "Étapes",
        "Rendez-vous",
        "Actions",
        "Heures",
        "Financements",
        "Indicateurs",
        "Situation FSE+",
    ]
    identity = dict((row[0], row[1]) for row in sheet_values(book, "Projet")[1:])
    assert identity["Projet"] == "Atelier vélo des Bords de Marne"
    assert identity["Structure"] == "Vélos des Bords de Marne"
    assert identity["Date d'entrée"].date() == datetime.date(2025, 3, 1)
    assert book["Projet"]["B13"].number_format == "DD/MM/YYYY"

    meetings = sheet_values(book, "Rendez-vous")
    assert meetings[0][0] == "Date" and meetings[0][-1].startswith("Notes partageables")
    all_text = repr([sheet_values(book, name) for name in book.sheetnames])
    assert SHAREABLE in all_text
    assert INTERNAL not in all_text and PROVIDER not in all_text
    # A cell that a spreadsheet would run as a formula is kept as text.
    assert "'" + HOSTILE_SUMMARY in [row[7] for row in meetings]

    hours = dict((row[0], row[1]) for row in sheet_values(book, "Heures")[1:])
    assert hours["Heures individuelles utilisées"] == pytest.approx(2.5)
    assert hours["Heures collectives (promotion)"] == pytest.approx(3)
    assert hours["Heures individuelles allouées"] == pytest.approx(10)

    actions = sheet_values(book, "Actions")[1:]
    assert [row[3] for row in actions] == ["À faire", "Faite"]

    funding = sheet_values(book, "Financements")
    assert funding[1][2] == pytest.approx(6000)
    assert funding[1][4] == "En attente"

    indicators = sheet_values(book, "Indicateurs")
    assert [row[1] for row in indicators[1:]] == ["À l'entrée", "À la sortie"]
    assert indicators[2][2] == 3  # permanent jobs at exit

    situations = sheet_values(book, "Situation FSE+")[1:]
    assert [row[2] for row in situations] == [
        "Demandeur·se d'emploi",
        "Indépendant·e / chef·fe d'entreprise",
        "Non renseignée",
    ]
    assert situations[2][1].date() == datetime.date(2026, 12, 30)


def test_coach_of_another_project_gets_404_on_both_formats(client, other_coach, full_project):
    client.force_login(other_coach)
    assert client.get(pdf_url(full_project)).status_code == 404
    assert client.get(xlsx_url(full_project)).status_code == 404


def test_a_user_without_a_role_gets_404_and_anonymous_visitors_log_in(
    client, no_role_user, project
):
    response = client.get(pdf_url(project))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(no_role_user)
    assert client.get(xlsx_url(project)).status_code == 404


def test_each_download_is_written_in_the_access_log(client, coach, project):
    client.force_login(coach)
    client.get(pdf_url(project))
    client.get(xlsx_url(project))
    events = AccessEvent.objects.filter(kind=AccessEventKind.EXPORT, user=coach)
    details = sorted(event.detail for event in events)
    assert details == [
        f"{pdf_url(project)} pdf fiche de suivi",
        f"{xlsx_url(project)} xlsx fiche de suivi",
    ]


def _add_meetings(project, coach, count):
    for index in range(count):
        meeting = MeetingFactory(project=project, led_by=coach, summary=f"Séance {index}")
        meeting.participants.add(project.members.get(is_lead=True).person)
        MeetingNote.objects.create(
            meeting=meeting, text=f"Note {index}", visibility=NoteVisibility.ENTREPRENEUR
        )
        ActionFactory(project=project, owner=coach, meeting=meeting)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_the_sheet_runs_a_fixed_number_of_queries_whatever_the_number_of_meetings(
    client, officer, coach, project, fmt, django_assert_max_num_queries
):
    # Session and user 2, roles 1-2, project 1, themes 1, members 1, stage changes 1,
    # meetings 1 + participants 1 + notes 1, actions 1, applications 1, measures 1,
    # access log 1.
    client.force_login(officer)
    url = pdf_url(project) if fmt == "pdf" else xlsx_url(project)
    _add_meetings(project, coach, 2)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _add_meetings(project, coach, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
