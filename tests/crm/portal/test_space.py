"""The entrepreneur's space: their path and next steps, what is shared with them (never
internal or provider-only notes and documents), applications and letters, workshops."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crm.documents import services as documents_services
from crm.documents.models import DocumentCategory
from crm.models import CommitteeDecision
from crm.portal.models import WaitlistEntry
from followups.models import ActionChange, ActionChangeKind, Attendance, MeetingNote
from followups.services import action_create
from tests.crm.portal.helpers import make_entrepreneur, text
from tests.factories import (
    CallApplicationFactory,
    CallFactory,
    EventFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _step(project, owner, by, title="Envoyer le prévisionnel"):
    return action_create(
        project=project, title=title, owner=owner, due_on=datetime.date(2026, 12, 20), by=by
    )


def test_home_shows_their_project_on_the_path_with_the_next_meeting(space, their_project, coach):
    MeetingFactory(
        project=their_project, led_by=coach, start=timezone.now() + datetime.timedelta(days=3)
    )
    page = text(space.get("/espace/"))
    assert "Ateliers d'artistes" in page
    assert 'aria-current="step">Lancement' in page
    assert "Changement d'échelle" in page
    assert "pas encore fixé" not in page


def test_a_coach_gives_them_a_step_they_mark_done_and_the_coach_sees_it_done(
    space, client, entrepreneur, their_project, coach
):
    step = _step(their_project, entrepreneur, coach)
    someone_elses = _step(their_project, coach, coach, title="Appeler la banque")
    page = text(space.get("/espace/"))
    assert "Envoyer le prévisionnel" in page and "Appeler la banque" not in page
    assert space.post(f"/espace/etapes/{someone_elses.pk}/faite/").status_code == 404
    response = space.post(f"/espace/etapes/{step.pk}/faite/", {"comment": "Envoyé ce matin."})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    change = ActionChange.objects.get(action=step, kind=ActionChangeKind.DONE)
    assert change.by == entrepreneur and change.detail == "Envoyé ce matin."
    client.force_login(coach)
    project_page = text(client.get(f"/projects/{their_project.pk}/"))
    assert "Action faite : Envoyer le prévisionnel" in project_page
    assert "Envoyé ce matin." in project_page
    assert "Chloé Lefèvre" in project_page


def test_only_what_is_shared_with_the_entrepreneur_reaches_them(
    space, their_project, coach, officer
):
    meeting = MeetingFactory(project=their_project, led_by=coach)
    for visibility in ("internal", "provider", "entrepreneur"):
        MeetingNote.objects.create(
            meeting=meeting, text=f"Note {visibility}", visibility=visibility
        )
    category = DocumentCategory.objects.get_or_create(name="Business plan")[0]
    versions = {}
    for visibility in ("internal", "provider", "entrepreneur"):
        document = documents_services.document_upload(
            record_kind="project",
            record=their_project,
            file=SimpleUploadedFile(f"{visibility}.txt", f"Contenu {visibility}".encode()),
            by=officer,
            category=category,
            title=f"Document {visibility}",
            date=datetime.date(2026, 11, 27),
            visibility=visibility,
        )
        versions[visibility] = document.versions.get()
    page = text(space.get("/espace/partages/"))
    assert "Note entrepreneur" in page and "Document entrepreneur" in page
    for hidden in ("Note internal", "Note provider", "Document internal", "Document provider"):
        assert hidden not in page
    shared = space.get(f"/espace/documents/{versions['entrepreneur'].pk}/telecharger/")
    assert b"".join(shared.streaming_content) == b"Contenu entrepreneur"
    for visibility in ("internal", "provider"):
        url = f"/espace/documents/{versions[visibility].pk}/telecharger/"
        assert space.get(url).status_code == 404


def test_another_persons_project_never_shows(space, coach):
    other = ProjectFactory(name="Projet d'un autre", coach=coach, lead=PersonFactory())
    meeting = MeetingFactory(project=other, led_by=coach)
    MeetingNote.objects.create(meeting=meeting, text="Note d'un autre", visibility="entrepreneur")
    assert "Projet d'un autre" not in text(space.get("/espace/"))
    assert "Note d'un autre" not in text(space.get("/espace/partages/"))


def test_applications_show_the_decision_and_the_letter_downloads(space, their_project):
    pending = CallApplicationFactory(call=CallFactory(year=2026), project=their_project)
    decided = CallApplicationFactory(
        call=CallFactory(year=2025),
        project=their_project,
        decision=CommitteeDecision.REJECTED,
        decided_at=timezone.now(),
    )
    page = text(space.get("/espace/candidatures/"))
    assert "Non retenu" in page and "En attente" in page
    letter = space.get(f"/espace/candidatures/{decided.pk}/lettre/")
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert space.get(f"/espace/candidatures/{pending.pk}/lettre/").status_code == 404


def _upcoming(capacity=None, **kwargs):
    start = timezone.now() + datetime.timedelta(days=10)
    return EventFactory(
        start=start, end=start + datetime.timedelta(hours=2), capacity=capacity, **kwargs
    )


def test_they_register_for_a_workshop_and_wait_for_a_place_when_it_is_full(
    space, person, django_capture_on_commit_callbacks
):
    event = _upcoming(capacity=1, title="Atelier local")
    first = PersonFactory(first_name="Inès", email="ines@exemple.fr")
    Attendance.objects.create(event=event, person=first)
    space.post(f"/espace/ateliers/{event.pk}/inscription/")
    assert not Attendance.objects.filter(event=event, person=person).exists()
    assert WaitlistEntry.objects.filter(event=event, person=person).exists()
    assert "liste d'attente" in text(space.get("/espace/ateliers/"))
    # A place frees: the first waiting gets it and is told.
    Attendance.objects.filter(person=first).delete()
    second = PersonFactory(email="waiting@exemple.fr")
    waiting_user = make_entrepreneur(second)
    WaitlistEntry.objects.create(event=event, person=second)
    other = space.__class__()
    other.force_login(waiting_user)
    # Chloé registers (the place is free), then cancels: the next on the list gets it.
    WaitlistEntry.objects.filter(person=person).delete()
    space.post(f"/espace/ateliers/{event.pk}/inscription/")
    assert Attendance.objects.filter(event=event, person=person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        space.post(f"/espace/ateliers/{event.pk}/annulation/")
    assert not Attendance.objects.filter(event=event, person=person).exists()
    assert Attendance.objects.filter(event=event, person=second).exists()
    assert mail.outbox[-1].to == ["waiting@exemple.fr"]


def test_a_cohort_workshop_of_another_cohort_is_not_offered(space):
    from followups.models import Cohort

    cohort = Cohort.objects.create(
        name="Promotion fermée",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    event = _upcoming(title="Atelier de la promotion fermée", cohort=cohort)
    assert "promotion fermée" not in text(space.get("/espace/ateliers/"))
    assert space.post(f"/espace/ateliers/{event.pk}/inscription/").status_code == 404


def test_attendance_history_lists_past_workshops(space, person):
    past = EventFactory(title="Atelier passé")
    Attendance.objects.create(event=past, person=person, status="attended")
    page = text(space.get("/espace/ateliers/"))
    assert "Atelier passé" in page and "Présent·e" in page


def test_home_runs_a_fixed_number_of_queries(
    space, entrepreneur, their_project, coach, django_assert_max_num_queries
):
    # session, user, roles, account, projects (with the next meeting), actions, and the
    # session's bookkeeping: none per project, step or meeting.
    with django_assert_max_num_queries(12) as small:
        space.get("/espace/")
    for n in range(5):
        _step(their_project, entrepreneur, coach, title=f"Étape {n}")
        MeetingFactory(project=their_project, led_by=coach)
    with django_assert_max_num_queries(len(small.captured_queries)):
        space.get("/espace/")


def test_the_staff_reminders_leave_entrepreneurs_out(entrepreneur, their_project, coach):
    from django.core.management import call_command

    _step(their_project, entrepreneur, coach).__class__.objects.update(due_on=timezone.localdate())
    call_command("send_reminders")
    assert all(entrepreneur.email not in message.to for message in mail.outbox)
