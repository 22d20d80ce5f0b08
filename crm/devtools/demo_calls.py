"""Demo calls for projects: three yearly editions with applications, scores and decisions,
written through crm.intake.services like the pages do. Deterministic and idempotent: an edition that
already exists is left alone."""

import datetime
import random
from decimal import Decimal

from crm.intake.services import calls as intake
from crm.intake.services import grants
from crm.models import Call, CommitteeDecision, Project

CRITERIA = (
    "Création d'emplois ; ancrage local ; utilité sociale ; viabilité économique. "
    "La commune concernée donne son avis avant le comité de sélection."
)
ENVELOPES = {0: Decimal(50000), 1: Decimal(45000), 2: Decimal(40000)}


def load_calls_demo(*, officer, today: datetime.date) -> int:
    """Create the missing editions; returns how many were created."""
    rng = random.Random(2016)
    projects = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    created = 0
    for age, envelope in ENVELOPES.items():
        year = today.year - age
        call, is_new = Call.objects.get_or_create(
            year=year,
            defaults={
                "title": "Initiatives d'ESS",
                "envelope": envelope,
                "opens_on": datetime.date(year, 1, 15),
                "closes_on": datetime.date(year, 3, 31),
                "criteria": CRITERIA,
            },
        )
        if not is_new:
            continue
        created += 1
        chosen = projects[age::5][:12]
        left = envelope
        for index, pk in enumerate(chosen):
            requested = Decimal(rng.randrange(2000, 8001, 500))
            application = intake.call_application_create(
                call=call,
                project=Project.objects.get(pk=pk),
                amount_requested=requested,
                by=officer,
            )
            application = intake.call_application_score(
                application=application,
                by=officer,
                score_jobs=rng.randint(1, 5),
                score_local_roots=rng.randint(2, 5),
                score_social_utility=rng.randint(2, 5),
                score_viability=rng.randint(1, 5),
                commune_opinion=rng.choice(["favourable", "favourable", "reserved"]),
            )
            # Past editions are decided; this year's committee has not met yet.
            if age == 0 and today < datetime.date(year, 6, 1):
                continue
            wins = index % 3 != 2 and requested <= left
            application = intake.call_application_decide(
                application=application,
                by=officer,
                decision=CommitteeDecision.WINNER if wins else CommitteeDecision.REJECTED,
                amount_awarded=requested if wins else Decimal(0),
            )
            if wins:
                left -= requested
                _schedule_grant(application, officer=officer, today=today, number=index + 1)
    return created


def _schedule_grant(application, *, officer, today: datetime.date, number: int) -> None:
    """A winner's convention, then 60 % paid in July and the balance the next March (each
    paid once its date has passed)."""
    year = application.call.year
    signed_on = datetime.date(year, 6, 15)
    if signed_on <= today:
        grants.grant_convention_record(
            application=application,
            by=officer,
            convention_number=f"AAP-{year}-{number:02d}",
            convention_signed_on=signed_on,
            expected_version=application.version,
        )
    first = (application.amount_awarded * Decimal("0.6")).quantize(Decimal(1))
    for amount, due_on in (
        (first, datetime.date(year, 7, 1)),
        (application.amount_awarded - first, datetime.date(year + 1, 3, 1)),
    ):
        paid = due_on + datetime.timedelta(days=10)
        grants.grant_instalment_add(
            application=application,
            by=officer,
            amount=amount,
            due_on=due_on,
            paid_on=paid if paid <= today else None,
            payment_reference=f"MDT-{year}-{number:02d}-{due_on.month:02d}"
            if paid <= today
            else "",
        )
