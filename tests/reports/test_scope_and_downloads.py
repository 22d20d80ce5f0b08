"""Who sees which figures, how many queries the dashboard runs, and the bilan downloads."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from crm.models import AccessEvent
from followups.models import Meeting
from tests.factories import MeetingFactory, PersonFactory, ProjectFactory
from tests.reports.test_figures import YEAR_2026, by, figures_for

pytestmark = pytest.mark.django_db


class TestCoachScope:
    def test_a_coach_sees_only_their_projects_in_every_figure(self, client, coach, world):
        figures, response = figures_for(client, coach)
        # Coach A owns P1, P2 (and P4, exited in 2025); P3 belongs to coach B.
        assert figures["funnel"] == {
            "applicants": 2,
            "diagnosed": 2,
            "accompanied": 1,
            "winners": 1,
        }
        assert sum(r["count"] for r in figures["by_stage_status"]) == 2
        assert {r["sector"] for r in figures["by_sector"]} == {"mobility", "food"}
        assert figures["by_commune"] == {"94028": 1, "94002": 1}
        march = figures["months"][2]
        assert (march["individual_meetings"], march["collective_meetings"]) == (2, 0)
        assert march["individual_hours"] == Decimal("2.5")
        assert list(by(figures["coach_hours"], "coach_id")) == [coach.pk]
        workshop = by(figures["attendance"]["rows"], "kind")["workshop"]
        assert (workshop["registered"], workshop["attended"], workshop["absent"]) == (1, 1, 0)
        assert figures["profiles"]["people"] == 2
        assert figures["profiles"]["women"] == 1
        assert figures["outcomes"]["structures_created"] == 1
        assert figures["median_days"] == {
            "idea": {"days": Decimal("40.0"), "stays": 1},
            "feasibility": {"days": Decimal("60.0"), "stays": 1},
        }
        # Calls and the provider's contract are not a coach's (no employer here).
        assert figures["calls"] == []
        assert figures["contracts"] == []
        html = response.content.decode()
        assert "Recyclerie" not in html
        assert "Chiffres limités à vos projets." in html

    def test_the_other_coach_sees_their_own_project(self, client, other_coach, world):
        figures, _ = figures_for(client, other_coach)
        assert figures["funnel"]["applicants"] == 0
        assert sum(r["count"] for r in figures["by_stage_status"]) == 1
        assert figures["months"][2]["collective_meetings"] == 1

    def test_a_manager_sees_everything(self, client, manager, world):
        figures, _ = figures_for(client, manager)
        assert figures["funnel"]["applicants"] == 2
        assert sum(r["count"] for r in figures["by_stage_status"]) == 3
        assert len(figures["calls"]) == 1


class TestAccess:
    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        for name in ("reports:dashboard", "reports:bilan-xlsx", "reports:bilan-pdf"):
            response = client.get(reverse(name))
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]

    def test_a_user_without_a_role_is_refused(self, client, no_role_user):
        client.force_login(no_role_user)
        for name in ("reports:dashboard", "reports:bilan-xlsx", "reports:bilan-pdf"):
            assert client.get(reverse(name)).status_code == 403
        assert not AccessEvent.objects.filter(kind="export").exists()

    def test_the_navigation_links_to_the_dashboard(self, client, coach):
        client.force_login(coach)
        assert reverse("reports:dashboard") in client.get(reverse("crm:home")).content.decode()


def _grow(coach, n: int) -> None:
    """n more projects, each with a lead, a meeting and a move."""
    for _i in range(n):
        project = ProjectFactory(coach=coach, sector="food", lead=PersonFactory(gender="female"))
        MeetingFactory(project=project, led_by=coach)


@pytest.mark.parametrize("user_name", ["officer", "coach"])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, world, coach, officer, user_name, django_assert_max_num_queries
):
    user = {"officer": officer, "coach": coach}[user_name]
    client.force_login(user)
    url = reverse("reports:dashboard")
    # Session and user, roles, the calls of the period form, the filter form's choices
    # (officers, coaches, communes, themes), then the 27 figure queries (the survival and
    # impact cohorts and the ESF+ indicators one each) and the 5 of the previous period's
    # headline figures (portfolio, funnel, meetings, attendances, structures created):
    # 41 in all.
    with django_assert_max_num_queries(41):
        assert client.get(url, YEAR_2026).status_code == 200
    _grow(coach, 30)
    assert Meeting.objects.count() > 35
    with django_assert_max_num_queries(41):
        assert client.get(url, YEAR_2026).status_code == 200


class TestDownloads:
    def test_the_xlsx_holds_one_sheet_per_table_with_the_figures(self, client, officer, world):
        from openpyxl import load_workbook

        client.force_login(officer)
        response = client.get(reverse("reports:bilan-xlsx"), YEAR_2026)
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith('bilan-activite-20260101-20261231.xlsx"')
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames[0] == "Bilan"
        funnel = workbook["Parcours des projets"]
        assert [c.value for c in funnel[1]] == ["Étape", "Projets", "% des candidat·es"]
        assert [c.value for c in funnel[2]][:2] == ["Candidat·es", 2]
        assert [c.value for c in funnel[5]][:2] == ["Lauréat·es", 1]
        medians = workbook["Durée médiane par étape"]
        assert [c.value for c in medians[2]] == ["Idée", 136.5, 2]
        calls = workbook["Enveloppe des appels à projets"]
        assert [c.value for c in calls[2]][1:4] == [25000, 4000, 21000]
        # Every sheet has a name of its own within Excel's 31 characters, none cut short.
        assert workbook.sheetnames == [
            "Bilan",
            "Parcours des projets",
            "Projets suivis par étape",
            "Projets suivis par statut",
            "Projets suivis par secteur",
            "Projets suivis par thème",
            "Projets suivis par commune",
            "Rendez-vous par mois",
            "Participation aux ateliers",
            "Heures par accompagnateur·rice",
            "Marché du prestataire",
            "Profil des porteur·ses",
            "Résultats",
            "Fonds levés par type",
            "Durée médiane par étape",
            "Situation FSE+",
            "Enveloppe des appels à projets",
            "Survie",
            "Emplois par cohorte",
            "Effet levier",
            "Indicateurs FSE+",
        ]
        # The EU-fund view: the two leads who entered in 2026, by situation at entry.
        from contacts.models import EmploymentSituation

        eu_fund = {
            row[0].value: [c.value for c in row[1:]]
            for row in workbook["Situation FSE+"].iter_rows(min_row=2)
        }
        assert eu_fund[EmploymentSituation.JOBSEEKER.label][0] == 1
        assert eu_fund[EmploymentSituation.EMPLOYED.label][0] == 1
        assert eu_fund["Total des participant·es"][0] == 2
        event = AccessEvent.objects.get(kind="export")
        assert event.user == officer and "xlsx" in event.detail

    def test_the_pdf_opens_and_holds_the_figures(self, client, officer, world):
        from pypdf import PdfReader

        client.force_login(officer)
        response = client.get(reverse("reports:bilan-pdf"), YEAR_2026)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        assert "Bilan d'activité" in text
        assert "du 01/01/2026 au 31/12/2026" in text
        assert "136,5" in text
        assert "IGN Admin Express 2018" in text
        assert AccessEvent.objects.filter(kind="export", detail__contains="pdf").count() == 1

    def test_the_downloads_name_the_project_filters(self, client, officer, world):
        from openpyxl import load_workbook
        from pypdf import PdfReader

        client.force_login(officer)
        params = {**YEAR_2026, "stage": ["idea", "launch"], "sector": "food"}
        workbook = load_workbook(
            io.BytesIO(client.get(reverse("reports:bilan-xlsx"), params).content)
        )
        lines = [row[1].value for row in workbook["Bilan"].iter_rows() if row[0].value == "Filtre"]
        assert lines == ["Étape : Idée, Lancement", "Secteur : Alimentation, épicerie solidaire"]
        pdf = client.get(reverse("reports:bilan-pdf"), params).content
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "Étape : Idée, Lancement" in text

    def test_a_coachs_pdf_leaves_other_projects_out(self, client, coach, world):
        from pypdf import PdfReader

        client.force_login(coach)
        response = client.get(reverse("reports:bilan-pdf"), YEAR_2026)
        text = "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        assert "Enveloppe des appels" not in text
        assert "Aïssata" not in text


def test_cached_figures_are_reused_until_something_is_recorded(
    client, officer, world, settings, django_assert_max_num_queries
):
    from django.core.cache import cache

    settings.REPORTS_CACHE_SECONDS = 300
    settings.REPORTS_FRESH_SECONDS = 0
    cache.clear()
    client.force_login(officer)
    url = reverse("reports:dashboard")
    first = client.get(url, YEAR_2026).context["figures"]
    # From the cache: session, user, roles, the form's choices and the version check.
    with django_assert_max_num_queries(12):
        again = client.get(url, YEAR_2026).context["figures"]
    assert again["funnel"] == first["funnel"]
    # A new meeting in March changes the version: the figures are computed again.
    MeetingFactory(project=world["p2"], start=world["p1"].meetings.first().start)
    fresh = client.get(url, YEAR_2026).context["figures"]
    assert (
        fresh["months"][2]["individual_meetings"] == first["months"][2]["individual_meetings"] + 1
    )
    cache.clear()


def test_figures_younger_than_the_fresh_window_are_shown_with_their_time(
    client, officer, world, settings
):
    from django.core.cache import cache

    settings.REPORTS_CACHE_SECONDS = 300
    settings.REPORTS_FRESH_SECONDS = 60
    cache.clear()
    client.force_login(officer)
    url = reverse("reports:dashboard")
    computed_at = timezone.now() - datetime.timedelta(seconds=30)
    with time_machine.travel(computed_at, tick=False):
        first = client.get(url, YEAR_2026)
    march = first.context["figures"]["months"][2]["individual_meetings"]
    MeetingFactory(project=world["p2"], start=world["p1"].meetings.first().start)
    # Thirty seconds later: the figures of half a minute ago, saying so.
    again = client.get(url, YEAR_2026)
    assert again.context["figures"]["months"][2]["individual_meetings"] == march
    shown = timezone.localtime(computed_at)
    assert f"Chiffres calculés le {shown:%d/%m/%Y} à {shown:%H:%M}." in again.content.decode()
    # A minute and more after they were computed, the new meeting is counted.
    with time_machine.travel(computed_at + datetime.timedelta(seconds=61), tick=False):
        later = client.get(url, YEAR_2026)
    assert later.context["figures"]["months"][2]["individual_meetings"] == march + 1
    cache.clear()
