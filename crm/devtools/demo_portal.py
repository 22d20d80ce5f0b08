"""The demo's invited entrepreneur: the lead of one of the demo coach's projects, with a
password (printed by seed_demo with the staff logins), a next step of their own, a note
shared with them and the information session left to register for."""

import datetime

from django.utils import timezone

from crm.models import Project, Status
from crm.portal.models import PortalAccount
from crm.portal.services import invitation_accept, portal_invite
from followups.models import Action, ActionChange, ActionChangeKind, Event, Meeting, MeetingNote

PASSWORD = "ess-demo-porteur"


def load_portal_demo(users: dict):
    """Invite one entrepreneur once; returns their login (their e-mail address)."""
    existing = PortalAccount.objects.select_related("user").order_by("pk").first()
    if existing is not None:
        return existing.user.username
    info_session = Event.objects.filter(cohort__isnull=True, start__gte=timezone.now()).first()
    candidates = (
        Project.objects.current()
        .filter(coach=users["coach"], status=Status.ACTIVE, meetings__isnull=False)
        .distinct()
        .order_by("name", "pk")
    )
    for project in candidates:
        lead = project.members.filter(is_lead=True).select_related("person").first()
        if lead is None or not lead.person.email:
            continue
        person = lead.person
        if info_session and info_session.attendances.filter(person=person).exists():
            continue
        break
    else:
        return None
    _invitation, link = portal_invite(person=person, by=users["officer"], send=False)
    user = invitation_accept(token=link.rstrip("/").rsplit("/", 1)[-1], password=PASSWORD)
    today = timezone.localdate()
    action = Action.objects.create(
        project=project,
        title="Envoyer le prévisionnel mis à jour à votre accompagnateur",
        owner=user,
        due_on=today + datetime.timedelta(days=5),
    )
    ActionChange.objects.create(action=action, kind=ActionChangeKind.CREATED, by=users["coach"])
    meeting = Meeting.objects.filter(project=project).order_by("-start").first()
    MeetingNote.objects.create(
        meeting=meeting,
        text="Pistes de financement à creuser : prêt d'honneur France Active et appel à "
        "projets Initiatives d'ESS ; le plan de trésorerie est à revoir avant le prochain "
        "rendez-vous.",
        visibility="entrepreneur",
        author=users["coach"],
    )
    return user.username
