"""A small hand-built world whose dashboard figures for 2026 are known (see test_figures).

Projects (coach A owns P1, P2 and P4; coach B owns P3):
- P1 « Atelier vélo »: entered 2026-02-01, active, launch stage, in a QPV, Créteil,
  mobility; lead a woman born 2003, jobseeker, living in a QPV; 20 h allocated.
  Moves: idea/applicant 02-01, idea/active 02-11, feasibility 03-13, launch 05-12.
  Meetings: 2025-12-15 120 min, 2026-03-10 90 min (diagnostic), 2026-03-20 60 min.
  Measures: 2026-02-01 (entry, nothing), 2026-06-30 (2 CDI, 1 CDD, 2.5 FTE, 30,000 €
  turnover, 5,000 € grant, 8,000 € honour loan), 2027-01-15 (after the period: 9 CDI).
  Winner of the 2026 call: 4,000 €.
- P2 « Épicerie »: entered 2026-04-15, applicant, idea, Alfortville, food; lead a man
  born 1980, employed; a triage decision (declined) on 2026-04-20; no hours.
- P3 « Recyclerie »: entered 2025-06-01, active, feasibility, in a QPV, Créteil, circular;
  lead a woman born 1990, long-term jobseeker; 30 h allocated. Moves: idea/applicant
  2025-06-01, idea/active 2025-06-11, feasibility 2026-01-20. Meetings: 2026-03-05 120 min
  individual, 2026-03-15 60 min collective. Not retained by the 2026 call.
- P4 « Ancienne »: entered 2024-01-01, exited 2025-06-30 (outside the 2026 portfolio).
"""

import datetime
from decimal import Decimal

import pytest

from crm.models import (
    Call,
    ProjectMeasure,
    StageChange,
    Theme,
    TriageDecision,
)
from followups.models import (
    Attendance,
    Cohort,
    Consumption,
    OrderLine,
    PurchaseOrder,
    UnitPrice,
)
from tests.factories import (
    CallApplicationFactory,
    ContractFactory,
    EventFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
    commune,
)

UTC = datetime.UTC


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), UTC)


def moves(project, *rows):
    StageChange.objects.filter(project=project).delete()
    before = ("", "")
    for day, stage, status, *rest in rows:
        StageChange.objects.create(
            project=project,
            at=at(day),
            from_stage=before[0],
            from_status=before[1],
            to_stage=stage,
            to_status=status,
            exit_reason=rest[0] if rest else "",
        )
        before = (stage, status)


@pytest.fixture
def world(db, coach, other_coach, officer):
    creteil, alfortville = commune("Créteil"), commune("Alfortville")
    strategy = Theme.objects.order_by("position").first()
    p1 = ProjectFactory(
        name="Atelier vélo",
        coach=coach,
        officer=officer,
        entry_date=datetime.date(2026, 2, 1),
        status="active",
        stage="launch",
        in_qpv=True,
        commune=creteil,
        sector="mobility",
        hours_allocated=20,
        lead=PersonFactory(
            gender="female",
            birth_year=2003,
            employment_situation_at_entry="jobseeker",
            lives_in_qpv=True,
        ),
    )
    p1.themes.add(strategy)
    moves(
        p1,
        ("2026-02-01", "idea", "applicant"),
        ("2026-02-11", "idea", "active"),
        ("2026-03-13", "feasibility", "active"),
        ("2026-05-12", "launch", "active"),
    )
    p2 = ProjectFactory(
        name="Épicerie",
        coach=coach,
        entry_date=datetime.date(2026, 4, 15),
        status="applicant",
        stage="idea",
        commune=alfortville,
        sector="food",
        lead=PersonFactory(
            gender="male",
            birth_year=1980,
            employment_situation_at_entry="employed",
            lives_in_qpv=False,
        ),
    )
    moves(p2, ("2026-04-15", "idea", "applicant"))
    TriageDecision.objects.create(
        project=p2, outcome="declined", at=at("2026-04-20"), reason="Hors critères."
    )
    p3 = ProjectFactory(
        name="Recyclerie",
        coach=other_coach,
        entry_date=datetime.date(2025, 6, 1),
        status="active",
        stage="feasibility",
        in_qpv=True,
        commune=creteil,
        sector="circular",
        hours_allocated=30,
        lead=PersonFactory(
            gender="female", birth_year=1990, employment_situation_at_entry="jobseeker_long_term"
        ),
    )
    moves(
        p3,
        ("2025-06-01", "idea", "applicant"),
        ("2025-06-11", "idea", "active"),
        ("2026-01-20", "feasibility", "active"),
    )
    p4 = ProjectFactory(
        name="Ancienne",
        coach=coach,
        entry_date=datetime.date(2024, 1, 1),
        exit_date=datetime.date(2025, 6, 30),
        status="exited",
        exit_reason="abandoned",
        stage="idea",
        sector="culture",
        lead=PersonFactory(gender="female"),
    )
    MeetingFactory(project=p4, start=at("2025-05-01"), duration_minutes=60, led_by=coach)
    MeetingFactory(project=p1, start=at("2025-12-15"), duration_minutes=120, led_by=coach)
    MeetingFactory(
        project=p1, start=at("2026-03-10"), duration_minutes=90, format="diagnostic", led_by=coach
    )
    MeetingFactory(project=p1, start=at("2026-03-20"), duration_minutes=60, led_by=coach)
    MeetingFactory(project=p3, start=at("2026-03-05"), duration_minutes=120, led_by=other_coach)
    cohort = Cohort.objects.create(
        name="Promotion 2026",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    cohort.projects.add(p3)
    MeetingFactory(
        project=p3,
        start=at("2026-03-15"),
        duration_minutes=60,
        time_kind="collective",
        cohort=cohort,
        led_by=other_coach,
    )
    for day, kind, values in (
        ("2026-02-01", "entry", {}),
        (
            "2026-06-30",
            "yearly",
            {
                "jobs_permanent": 2,
                "jobs_fixed_term": 1,
                "fte": Decimal("2.5"),
                "turnover": 30000,
                "funds_grant": 5000,
                "funds_honour_loan": 8000,
            },
        ),
        ("2027-01-15", "yearly", {"jobs_permanent": 9}),
    ):
        ProjectMeasure.objects.create(
            project=p1, measured_on=datetime.date.fromisoformat(day), kind=kind, **values
        )
    call = Call.objects.create(
        year=2026,
        title="Initiatives d'ESS",
        envelope=25000,
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 5, 31),
    )
    CallApplicationFactory(
        call=call, project=p1, amount_requested=5000, decision="winner", amount_awarded=4000
    )
    CallApplicationFactory(call=call, project=p3, amount_requested=6000, decision="rejected")
    event = EventFactory(kind="workshop", start=at("2026-11-20"), end=at("2026-11-20", 12))
    Attendance.objects.create(
        event=event, person=p1.members.get().person, project=p1, status="attended"
    )
    Attendance.objects.create(
        event=event, person=p3.members.get().person, project=p3, status="absent"
    )
    Attendance.objects.create(event=event, person=PersonFactory(), status="registered")
    EventFactory(kind="information", start=at("2025-10-01"), end=at("2025-10-01", 11))
    contract = ContractFactory(reference="2026-ESS-001")
    UnitPrice.objects.create(contract=contract, unit="coaching_hour", price=80)
    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-1", issued_on=datetime.date(2026, 1, 10)
    )
    OrderLine.objects.create(order=order, unit="coaching_hour", quantity=100)
    Consumption.objects.create(
        order=order, unit="coaching_hour", quantity=10, on=datetime.date(2026, 3, 10)
    )
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "call": call, "order": order}
