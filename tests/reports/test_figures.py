"""Every dashboard figure against the hand-built world of conftest.py (period: 2026)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

YEAR_2026 = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}


def figures_for(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reports:dashboard"), {**YEAR_2026, **params})
    assert response.status_code == 200
    return response.context["figures"], response


def by(rows, key):
    return {row[key]: row for row in rows}


@pytest.mark.django_db
class TestOfficerFigures:
    def test_funnel_counts_the_projects_received_in_2026(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        # P1 and P2 came in during 2026; P2 was triaged (declined), P1 accompanied and won.
        assert figures["funnel"] == {
            "applicants": 2,
            "diagnosed": 2,
            "accompanied": 1,
            "winners": 1,
        }

    def test_portfolio_by_stage_status_sector_and_commune(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        # P1, P2, P3 followed in 2026; P4 exited in 2025.
        counts = {(r["stage"], r["status"]): r["count"] for r in figures["by_stage_status"]}
        assert counts == {
            ("idea", "applicant"): 1,
            ("feasibility", "active"): 1,
            ("launch", "active"): 1,
        }
        assert {r["sector"]: r["count"] for r in figures["by_sector"]} == {
            "mobility": 1,
            "food": 1,
            "circular": 1,
        }
        assert figures["by_commune"] == {"94028": 2, "94002": 1}
        assert [(r["theme__label"], r["count"]) for r in figures["by_theme"]] == [
            (world["p1"].themes.get().label, 1)
        ]

    def test_hours_per_month_split_individual_and_collective(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        months = {m["month"].month: m for m in figures["months"]}
        assert len(months) == 12
        march = months[3]
        # 90 + 60 (P1) + 120 (P3) individual minutes; 60 collective (P3).
        assert march["individual_meetings"] == 3
        assert march["individual_hours"] == Decimal("4.5")
        assert march["collective_meetings"] == 1
        assert march["collective_hours"] == Decimal("1.0")
        assert all(m["individual_meetings"] == 0 for n, m in months.items() if n != 3)

    def test_hours_allocated_and_used_per_coach(self, client, officer, coach, other_coach, world):
        figures, _ = figures_for(client, officer)
        rows = by(figures["coach_hours"], "coach_id")
        # Coach A: P1 (20 h) + P2 (0 h); 120 min in 2025 and 150 min in 2026 on P1.
        assert rows[coach.pk]["allocated"] == Decimal("20.0")
        assert rows[coach.pk]["used"] == Decimal("4.5")
        assert rows[coach.pk]["used_in_period"] == Decimal("2.5")
        assert rows[coach.pk]["projects"] == 2
        # Coach B: P3 (30 h), 120 individual minutes (the collective hour is not counted).
        assert rows[other_coach.pk]["allocated"] == Decimal("30.0")
        assert rows[other_coach.pk]["used"] == Decimal("2.0")

    def test_workshop_attendance(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        rows = by(figures["attendance"]["rows"], "kind")
        assert rows["workshop"] == {
            "kind": "workshop",
            "label": rows["workshop"]["label"],
            "events": 1,
            "registered": 3,
            "attended": 1,
            "excused": 0,
            "absent": 1,
        }
        # The information session was in 2025.
        assert rows["information"]["events"] == 0

    def test_provider_contract(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        [contract] = figures["contracts"]
        # 100 coaching hours ordered at 80 €; 10 consumed in March 2026.
        assert contract["ordered_amount"] == Decimal("8000.00")
        assert contract["consumed_amount"] == Decimal("800.00")
        assert contract["period_amount"] == Decimal("800.00")
        assert contract["hours_ordered"] == 100
        assert contract["hours_consumed"] == 10
        assert [o.number for o in figures["orders"]] == ["BC-1"]

    def test_profile_shares(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        p = figures["profiles"]
        # Leads of P1, P2, P3.
        assert p["people"] == 3
        assert p["women"] == 2
        assert p["under_26"] == 1  # born 2003: 23 at the end of 2026
        assert p["jobseekers"] == 2  # jobseeker + long-term jobseeker
        assert p["qpv_residents"] == 1
        assert (p["projects"], p["projects_in_qpv"]) == (3, 2)

    def test_outcomes_use_the_latest_measure_before_the_end(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        o = figures["outcomes"]
        assert o["structures_created"] == 1  # P1 reached launch on 2026-05-12
        assert (o["jobs"], o["jobs_permanent"], o["jobs_fixed_term"]) == (3, 2, 1)
        assert o["fte"] == Decimal("2.5")
        assert o["turnover"] == Decimal("30000")
        assert o["funds_grant"] == Decimal("5000")
        assert o["funds_honour_loan"] == Decimal("8000")
        assert o["funds_total"] == Decimal("13000")
        assert o["measured"] == 1

    def test_median_days_per_stage(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        # Idea: P1 10 + 30 = 40 days, P3 10 + 223 = 233 days: median 136.5.
        # Feasibility: P1 60 days. Launch: nobody left it.
        assert figures["median_days"] == {
            "idea": {"days": Decimal("136.5"), "stays": 2},
            "feasibility": {"days": Decimal("60.0"), "stays": 1},
        }

    def test_call_envelope(self, client, officer, world):
        figures, _ = figures_for(client, officer)
        [call] = figures["calls"]
        assert call["envelope"] == Decimal("25000")
        assert call["awarded"] == Decimal("4000")
        assert call["left"] == Decimal("21000")
        assert (call["winners"], call["applications"]) == (1, 2)

    def test_the_page_shows_the_figures_in_tables(self, client, officer, world):
        _, response = figures_for(client, officer)
        html = response.content.decode()
        assert 'role="img"' in html
        assert "136,5" in html
        assert "IGN Admin Express 2018, Licence Ouverte" in html
        launch = (
            "/projects/?received_to=2026-12-31&amp;not_exited_before=2026-01-01&amp;stage=launch"
        )
        assertContains(
            response, f'<th scope="row"><a href="{launch}">Lancement</a></th>', html=True
        )

    def test_chart_links_list_the_projects_the_chart_counted(self, client, officer, world):
        _, response = figures_for(client, officer)
        sections = {section.slug: section for section in response.context["sections"]}

        def listed(url):
            page = client.get(url)
            assert page.status_code == 200
            return sorted(row.record.name for row in page.context["table"].page.object_list)

        # The 2026 portfolio is P1, P2 and P3 (P4 exited in 2025), stage by stage.
        stages = sections["stages"]
        for (label, count), url in zip(stages.rows, stages.row_links, strict=True):
            assert len(listed(url)) == count, label
        assert listed(stages.link_url) == ["Atelier vélo", "Recyclerie", "Épicerie"]
        # The funnel's applicants are the projects received in 2026: P1 and P2.
        funnel = sections["funnel"]
        assert listed(funnel.row_links[0]) == ["Atelier vélo", "Épicerie"]
        assert listed(funnel.row_links[2]) == ["Atelier vélo"]


@pytest.mark.django_db
class TestPeriodAndFilters:
    def test_project_filters_narrow_every_figure(self, client, officer, world, coach):
        figures, _ = figures_for(client, officer, commune=world["p2"].commune_id)
        assert figures["funnel"]["applicants"] == 1
        assert figures["by_commune"] == {"94002": 1}
        assert figures["profiles"]["people"] == 1

    def test_last_year_period(self, client, officer, world, monkeypatch):
        monkeypatch.setattr("reports.forms.timezone.localdate", lambda: datetime.date(2026, 6, 1))
        client.force_login(officer)
        response = client.get(reverse("reports:dashboard"), {"period": "last_year"})
        figures = response.context["figures"]
        assert figures["period"].start.isoformat() == "2025-01-01"
        # In 2025: P3 received; P4 exited mid-2025 (still followed that year); P1 and P2
        # came in 2026.
        assert figures["funnel"]["applicants"] == 1
        assert sum(r["count"] for r in figures["by_stage_status"]) == 2

    def test_call_edition_keeps_its_winners(self, client, officer, world):
        client.force_login(officer)
        response = client.get(reverse("reports:dashboard"), {"period": f"call-{world['call'].pk}"})
        figures = response.context["figures"]
        assert figures["period"].call == world["call"]
        assert figures["funnel"]["winners"] == 1
        assert [c["call"] for c in figures["calls"]] == [world["call"]]

    def test_a_reversed_range_is_refused_with_a_french_error(self, client, officer, world):
        client.force_login(officer)
        response = client.get(
            reverse("reports:dashboard"),
            {"period": "custom", "start": "2026-06-01", "end": "2026-01-01"},
        )
        assert response.status_code == 200
        assert "La date de fin doit suivre la date de début." in response.content.decode()

    def test_a_custom_range_needs_both_dates(self, client, officer, world):
        client.force_login(officer)
        response = client.get(
            reverse("reports:dashboard"), {"period": "custom", "end": "2026-01-01"}
        )
        assert "Indiquez la date de début de la période." in response.content.decode()
