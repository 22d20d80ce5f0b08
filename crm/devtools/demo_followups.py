"""Demo follow-ups for `manage.py seed_demo`: a contract and its order, a cohort, meetings
with next steps on the coached projects, workshops with registrations.

Deterministic (a seeded generator, dates relative to today) and idempotent: the demo
contract marks a database that already has them, and a second run adds nothing."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from contacts.models import Organisation, OrganisationKind
from crm.devtools import demo as crm_demo
from crm.models import Project, Status, Theme
from followups import services
from followups.models import (
    Cohort,
    Contract,
    Event,
    EventKind,
    MeetingFormat,
    MeetingMode,
    OrderLine,
    PurchaseOrder,
    TimeKind,
    UnitKind,
    UnitPrice,
)

CONTRACT_REFERENCE = "MARCHE-ESS-DEMO"
ACTION_TITLES = [
    "Envoyer le budget prévisionnel",
    "Prendre rendez-vous avec France Active",
    "Relire les statuts de la SCIC",
    "Compléter le dossier de subvention régionale",
    "Contacter le bailleur pour le local",
    "Préparer le pitch du comité",
    "Chiffrer le besoin en trésorerie",
]
SUMMARIES = [
    "Point sur le modèle économique et les premières ventes.",
    "Travail sur le plan de financement ; la banque attend le prévisionnel.",
    "Gouvernance : répartition des rôles entre les associé·es.",
    "Recherche de local : deux pistes à visiter.",
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_demo(users: dict) -> int:
    """Create the demo follow-ups once; returns the number of meetings created."""
    if Contract.objects.filter(reference=CONTRACT_REFERENCE).exists():
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    officer, coaches = users["officer"], [users["coach"], users["coach2"]]
    provider = Organisation.objects.get(name=crm_demo.PROVIDER_NAME)
    contract = Contract.objects.create(
        reference=CONTRACT_REFERENCE,
        provider=provider,
        start_date=today.replace(month=1, day=1) - datetime.timedelta(days=365),
        end_date=today.replace(month=12, day=31) + datetime.timedelta(days=365),
        max_amount=Decimal(90000),
    )
    for unit, price in [
        (UnitKind.COACHING_HOUR, 85),
        (UnitKind.WORKSHOP_HALF_DAY, 650),
        (UnitKind.DIAGNOSTIC, 480),
        (UnitKind.COHORT_ENTREPRENEUR, 1200),
    ]:
        UnitPrice.objects.create(contract=contract, unit=unit, price=Decimal(price))
    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-DEMO-01", issued_on=contract.start_date
    )
    for unit, quantity in [
        (UnitKind.COACHING_HOUR, 300),
        (UnitKind.WORKSHOP_HALF_DAY, 12),
        (UnitKind.DIAGNOSTIC, 25),
        (UnitKind.COHORT_ENTREPRENEUR, 15),
    ]:
        OrderLine.objects.create(order=order, unit=unit, quantity=quantity)

    themes = list(Theme.objects.order_by("position", "pk"))
    coached = list(
        Project.objects.filter(status=Status.ACTIVE, coach__in=coaches)
        .select_related("coach", "officer")
        .order_by("name", "pk")
    )
    # The cohort's projects each consume the flat "cohort entrepreneur" unit of the order;
    # its workshops and collective session use 9 of its 10 collective hours (a warning).
    cohort = Cohort(
        name="Promotion de printemps",
        start_date=today - datetime.timedelta(days=150),
        end_date=today + datetime.timedelta(days=30),
        hours_allocated=Decimal(10),
        order=order,
    )
    services.cohort_save(cohort=cohort, projects=coached[:6], by=officer)
    if coached:
        services.meeting_log(
            project=coached[0],
            by=coached[0].coach,
            details=services.MeetingDetails(
                start=_at(today - datetime.timedelta(days=20), 14),
                duration_minutes=180,
                format=MeetingFormat.WORKSHOP,
                summary="Séance collective de la promotion : pitch et retours croisés.",
                time_kind=TimeKind.COLLECTIVE,
                cohort=cohort,
            ),
            notes=[("provider", "Bonne dynamique de groupe.")],
        )

    meetings = 0
    for index, project in enumerate(coached):
        # Every fourth project has had no meeting for months: "my work" flags it.
        last = today - datetime.timedelta(days=90 if index % 4 == 3 else rng.randint(2, 40))
        for number in range(rng.randint(1, 3)):
            day = last - datetime.timedelta(days=21 * number)
            steps = []
            if number == 0:
                for step in range(rng.randint(1, 2)):
                    steps.append(
                        services.NextStep(
                            title=rng.choice(ACTION_TITLES),
                            owner=project.coach if step == 0 else (project.officer or officer),
                            due_on=today + datetime.timedelta(days=rng.randint(-20, 25)),
                        )
                    )
            services.meeting_log(
                project=project,
                by=project.coach,
                details=services.MeetingDetails(
                    start=_at(day, rng.choice([9, 10, 14, 16])),
                    duration_minutes=rng.choice([60, 90, 120]),
                    format=MeetingFormat.DIAGNOSTIC if number == 2 else MeetingFormat.INDIVIDUAL,
                    mode=rng.choice(MeetingMode.values),
                    place="Maison de l'ESS" if index % 2 else "",
                    summary=rng.choice(SUMMARIES),
                    themes=rng.sample(themes, 2) if len(themes) >= 2 else themes,
                    participants=list(project.people.all()[:1]),
                    staff=[project.coach],
                    order=order,
                ),
                notes=[("provider", "À revoir au prochain point.")],
                next_steps=steps,
            )
            meetings += 1

    partners = list(
        Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name", "pk")[:2]
    )
    for offset, title, kind in [
        (-10, "Atelier : répondre aux marchés publics réservés ESS", EventKind.WORKSHOP),
        (12, "Temps d'information : l'appel à projets Initiatives d'ESS", EventKind.INFORMATION),
        (30, "Atelier : trouver un local, bail et tiers-lieu", EventKind.WORKSHOP),
    ]:
        start = _at(today + datetime.timedelta(days=offset), 9)
        event = Event.objects.create(
            title=title,
            kind=kind,
            theme=themes[0] if themes else None,
            start=start,
            end=start + datetime.timedelta(hours=3),
            place="Maison de l'ESS, Créteil",
            capacity=20,
            cohort=cohort if kind == EventKind.WORKSHOP else None,
            order=order if kind == EventKind.WORKSHOP else None,
        )
        event.partners.set(partners)
        services.event_consume(event=event, by=officer)
        for project in coached[:8]:
            lead = project.people.first()
            if lead is not None:
                services.attendance_record(
                    event=event,
                    person=lead,
                    project=project,
                    by=officer,
                    status="attended" if offset < 0 else "registered",
                )
    return meetings
