"""Reads of the entrepreneur's space: everything starts from their person and only ever
reaches their own projects and what is shared with the entrepreneur (never internal or
provider-only notes and documents). Each function runs a fixed number of queries."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from crm.core import roles
from crm.documents.models import Document, DocumentVersion
from crm.models import Application, CommitteeDecision, Project, Stage
from crm.portal.models import ErasureRequest, PortalAccount, PortalInvitation, WaitlistEntry
from followups.models import (
    Action,
    Attendance,
    AttendanceStatus,
    Event,
    Meeting,
    MeetingNote,
    NoteVisibility,
)

SHARED = NoteVisibility.ENTREPRENEUR
# How many past items each section shows.
PAST_SHOWN = 20


def is_entrepreneur(user) -> bool:
    """A signed-in user with no staff role who holds a portal account (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or roles.primary_role(user) is not None:
        return False
    return PortalAccount.objects.filter(user=user).exists()


def account_for(user) -> PortalAccount:
    """The portal account of the signed-in entrepreneur, or 404 for anyone else (staff
    included: the space is not theirs)."""
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        raise Http404
    if roles.primary_role(user) is not None:
        raise Http404
    account = PortalAccount.objects.select_related("person").filter(user=user).first()
    if account is None:
        raise Http404
    return account


def projects_of(person):
    """The projects the person is a member of (archived ones left out)."""
    return Project.objects.current().filter(members__person=person)


STAGES = list(Stage)


def stage_path(project) -> list[dict]:
    """The path idée → changement d'échelle with where the project stands on it."""
    index = STAGES.index(project.stage) if project.stage in STAGES else 0
    return [
        {"label": stage.label, "done": i < index, "current": i == index}
        for i, stage in enumerate(STAGES)
    ]


def home(account) -> dict:
    """Their projects (stage, next meeting) and their next steps (3 queries)."""
    person, now = account.person, timezone.now()
    next_meeting = (
        Meeting.objects.filter(project=OuterRef("pk"), start__gte=now)
        .order_by("start")
        .values("start")[:1]
    )
    projects = list(
        projects_of(person)
        .select_related("coach", "commune")
        .annotate(next_meeting_at=Subquery(next_meeting))
        .order_by("name", "pk")
    )
    for project in projects:
        project.path = stage_path(project)
    actions = list(
        Action.objects.filter(owner=account.user, project__in=[p.pk for p in projects])
        .select_related("project")
        .order_by("done_on", "due_on", "pk")[:100]
    )
    return {
        "person": person,
        "today": timezone.localdate(),
        "projects": projects,
        "open_actions": [a for a in actions if a.done_on is None],
        "done_actions": [a for a in actions if a.done_on is not None][:PAST_SHOWN],
    }


def action_for(account, pk: int) -> Action:
    """One of the entrepreneur's own open or done steps, or 404."""
    try:
        return Action.objects.select_related("project").get(
            pk=pk, owner=account.user, project__in=projects_of(account.person)
        )
    except Action.DoesNotExist:
        raise Http404 from None


def shared_documents(person):
    """Documents shared with the entrepreneur on them, their projects, their projects'
    meetings and applications."""
    projects = projects_of(person).values("pk")
    return Document.objects.filter(
        Q(person=person)
        | Q(project__in=projects)
        | Q(meeting__project__in=projects)
        | Q(application__project__in=projects),
        visibility=SHARED,
    )


def shared(account) -> dict:
    """Notes and documents shared with the entrepreneur (4 queries)."""
    person = account.person
    notes = (
        MeetingNote.objects.filter(
            meeting__project__in=projects_of(person).values("pk"), visibility=SHARED
        )
        .select_related("meeting__project")
        .order_by("-meeting__start", "-pk")[:100]
    )
    documents = (
        shared_documents(person)
        .select_related("category")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
        )
        .order_by("-date", "-pk")[:100]
    )
    return {"person": person, "notes": list(notes), "documents": list(documents)}


def version_for(account, pk: int) -> DocumentVersion:
    """A file of a document shared with the entrepreneur, or 404."""
    try:
        return DocumentVersion.objects.select_related("document").get(
            pk=pk, document__in=shared_documents(account.person).values("pk")
        )
    except DocumentVersion.DoesNotExist:
        raise Http404 from None


def applications(account):
    """Their projects' applications to calls, with the decision once taken (1 query)."""
    return list(
        Application.objects.filter(project__in=projects_of(account.person).values("pk"))
        .select_related("call", "project")
        .order_by("-call__year", "project__name", "pk")
    )


def application_for(account, pk: int) -> Application:
    """A decided application of one of their projects (its letter), or 404."""
    try:
        return (
            Application.objects.select_related("call", "project__organisation")
            .exclude(decision=CommitteeDecision.PENDING)
            .get(pk=pk, project__in=projects_of(account.person).values("pk"))
        )
    except Application.DoesNotExist:
        raise Http404 from None


def open_events(person):
    """Upcoming events they may register for: every information session and workshop of
    the programme, except those of a cohort none of their projects belongs to."""
    projects = projects_of(person).values("pk")
    return Event.objects.filter(start__gte=timezone.now()).filter(
        Q(cohort__isnull=True) | Q(cohort__projects__in=projects)
    )


def workshops(account) -> dict:
    """Upcoming events with their places left and the person's registration or place on
    the waiting list, then their attendance history (4 queries)."""
    person = account.person
    events = list(
        open_events(person)
        .distinct()
        .annotate(registered=Count("attendances", distinct=True))
        .select_related("theme")
        .order_by("start", "pk")[:50]
    )
    mine = {
        a.event_id: a
        for a in Attendance.objects.filter(person=person, event__in=[e.pk for e in events])
    }
    waiting = set(
        WaitlistEntry.objects.filter(person=person, event__in=[e.pk for e in events]).values_list(
            "event_id", flat=True
        )
    )
    for event in events:
        event.places_left = (
            None if event.capacity is None else max(event.capacity - event.registered, 0)
        )
        event.mine = mine.get(event.pk)
        event.waiting = event.pk in waiting
    history = list(
        Attendance.objects.filter(person=person, event__start__lt=timezone.now())
        .select_related("event")
        .order_by("-event__start", "-pk")[:PAST_SHOWN]
    )
    return {"person": person, "events": events, "history": history, "statuses": AttendanceStatus}


def event_for(account, pk: int) -> Event:
    try:
        return open_events(account.person).distinct().get(pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


def person_panel(person, user) -> dict | None:
    """The portal panel of a staff person page: whether the person has an account, their
    latest invitations and erasure requests (3 queries). None for users who may not
    invite (the panel is not shown)."""
    from crm.portal import permissions

    if not permissions.can_invite(user, person):
        return None
    account = PortalAccount.objects.select_related("user").filter(person=person).first()
    invitations = list(PortalInvitation.objects.filter(person=person).order_by("-created_at")[:5])
    requests = list(ErasureRequest.objects.filter(person=person)[:5])
    return {
        "person": person,
        "account": account,
        "invitations": invitations,
        "pending": [i for i in invitations if i.status == "pending"],
        "erasure_requests": requests,
        "can_erase": roles.is_officer(user),
    }


def entrepreneur_owners(project) -> Q:
    """Users who may own a step of `project` besides the staff: its entrepreneurs with an
    active portal account (followups.services.actions.action_owners)."""
    return Q(portal_account__person__project_memberships__project=project)
