from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm.core import permissions, roles
from crm.core.concurrency import StaleObjectError, conflict_context
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView
from crm.models import Project
from followups import selectors, services
from followups.exports import csv_response
from followups.filters import MeetingFilter, ProjectMeetingFilter
from followups.forms import MeetingForm, NextStepFormSet, NoteForm, next_step_owners
from followups.models import Meeting, MeetingNote
from followups.tables import MeetingTable, ProjectMeetingTable


def get_project_for(user, pk) -> Project:
    """The project if `user` may see it, else 404 (never 403: that would confirm it exists)."""
    return get_object_or_404(Project.objects.visible_to(user), pk=pk)


def get_meeting_for(user, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related("project", "led_by", "cohort", "order"),
        pk=pk,
    )


class MeetingExportMixin:
    """`?export=csv` returns the filtered rows; notes go through MeetingNote.visible_to,
    so internal notes never reach a coach's or a manager's file."""

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") != "csv":
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        meetings = (
            filterset.qs.prefetch_related(selectors.notes_prefetch(request.user), "themes")
            if filterset.is_valid()
            else self.get_queryset().none()
        )
        header = [_("Date"), _("Projet"), _("Format"), _("Modalité"), _("Durée (min)")]
        header += [_("Mené par"), _("Thèmes"), _("Compte rendu"), _("Décisions"), _("Notes")]
        rows = (
            [
                f"{timezone.localtime(m.start):%d/%m/%Y %H:%M}",
                m.project.name,
                m.get_format_display(),
                m.get_mode_display(),
                m.duration_minutes,
                str(m.led_by),
                ", ".join(t.label for t in m.themes.all()),
                m.summary,
                m.decisions,
                "\n".join(f"[{n.get_visibility_display()}] {n.text}" for n in m.visible_notes),
            ]
            for m in meetings
        )
        return csv_response("rendez-vous", header, rows)


class MeetingListView(MeetingExportMixin, FilteredTableView):
    title = gettext_lazy("Rendez-vous")
    model = Meeting
    table_class = MeetingTable
    filterset_class = MeetingFilter
    template_name = "followups/meeting_list.html"
    default_ordering = ("-start", "-pk")

    def scoped_queryset(self):
        return selectors.visible_meetings(self.request.user)


class ProjectMeetingListView(MeetingExportMixin, FilteredTableView):
    model = Meeting
    table_class = ProjectMeetingTable
    filterset_class = ProjectMeetingFilter
    template_name = "followups/project_meetings.html"
    default_ordering = ("-start", "-pk")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_project_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def scoped_queryset(self):
        return selectors.visible_meetings(self.request.user).filter(project=self.project)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Rendez-vous – %(project)s") % {"project": self.project}
        context["panel"] = selectors.project_followups(self.project, self.request.user)
        return context


@login_required
def meeting_detail(request, pk):
    meeting = get_meeting_for(request.user, pk)
    notes = MeetingNote.objects.visible_to(request.user).filter(meeting=meeting)
    return render(
        request,
        "followups/meeting_detail.html",
        {
            "meeting": meeting,
            "notes": notes.select_related("author"),
            "actions": meeting.actions.select_related("owner").order_by("due_on", "pk"),
            "themes": meeting.themes.all(),
            "participants": meeting.participants.all(),
            "staff": meeting.staff.all(),
            "can_edit": permissions.can_log_meeting(request.user, meeting.project),
            "can_edit_notes": permissions.can_log_meeting(request.user, meeting.project),
            "can_delete": permissions.can_delete_meeting(request.user, meeting, now=timezone.now()),
        },
    )


@login_required
def meeting_delete(request, pk):
    """GET: what will go with the meeting, and a confirmation. POST: delete it."""
    meeting = get_meeting_for(request.user, pk)
    permissions.require(permissions.can_delete_meeting(request.user, meeting, now=timezone.now()))
    error = ""
    if request.method == "POST":
        project = meeting.project
        try:
            services.meeting_delete(meeting=meeting, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Le rendez-vous est supprimé."))
            return redirect("followups:project-meetings", pk=project.pk)
    notes = MeetingNote.objects.visible_to(request.user).filter(meeting=meeting)
    return render(
        request,
        "followups/meeting_delete.html",
        {
            "meeting": meeting,
            "error": error,
            "note_count": notes.count(),
            "action_count": meeting.actions.count(),
        },
        status=400 if error else 200,
    )


def _initial(meeting: Meeting | None, user) -> dict:
    if meeting is None:
        # Date and duration are left for the user to confirm (quick picks in the page).
        return {"staff": [user.pk]}
    return {
        "start": timezone.localtime(meeting.start),
        "duration_minutes": meeting.duration_minutes,
        "format": meeting.format,
        "mode": meeting.mode,
        "place": meeting.place,
        "themes": list(meeting.themes.all()),
        "participants": list(meeting.participants.all()),
        "staff": list(meeting.staff.all()),
        "time_kind": meeting.time_kind,
        "cohort": meeting.cohort,
        "order": meeting.order,
        "summary": meeting.summary,
        "decisions": meeting.decisions,
    }


@login_required
def meeting_form(request, project_pk=None, pk=None):
    """Log (or edit) a meeting with up to N next steps in the same form."""
    meeting = get_meeting_for(request.user, pk) if pk else None
    project = meeting.project if meeting else get_project_for(request.user, project_pk)
    if not permissions.can_log_meeting(request.user, project):
        # Managers see the project but change nothing.
        raise PermissionDenied
    step_kwargs = {
        "owners": next_step_owners(project, request.user),
        "default_owner": request.user,
    }
    form_kwargs = {"project": project, "user": request.user}
    if request.method == "POST":
        form = MeetingForm(request.POST, record=meeting, **form_kwargs)
        steps = NextStepFormSet(request.POST, prefix="steps", form_kwargs=step_kwargs)
        if form.is_valid() and steps.is_valid():
            data = form.cleaned_data
            next_steps = [
                services.NextStep(title=s["title"], owner=s["owner"], due_on=s["due_on"])
                for s in steps.cleaned_data
                if s.get("title")
            ]
            try:
                result = services.meeting_log(
                    project=project,
                    by=request.user,
                    meeting=meeting,
                    expected_version=form.expected_version,
                    details=form.details(led_by=meeting.led_by if meeting else request.user),
                    notes=[(data["note_visibility"], data["note"])],
                    next_steps=next_steps,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except StaleObjectError as stale:
                # Nothing was written, the notes and next steps typed included: the page
                # keeps them with both versions of the meeting.
                context = conflict_context(form, stale.current, form_kwargs=form_kwargs)
                return render(
                    request,
                    "followups/meeting_form.html",
                    {**_page_context(project, meeting, request.user, steps), **context},
                    status=409,
                )
            else:
                messages.success(request, _("Le rendez-vous est enregistré."))
                if result.actions:
                    messages.success(
                        request,
                        _("%(count)d prochaine(s) étape(s) ajoutée(s).")
                        % {"count": len(result.actions)},
                    )
                if result.warning:
                    messages.warning(request, result.warning)
                return redirect("followups:meeting-detail", pk=result.meeting.pk)
    else:
        form = MeetingForm(initial=_initial(meeting, request.user), record=meeting, **form_kwargs)
        steps = NextStepFormSet(prefix="steps", form_kwargs=step_kwargs)
    return render(
        request,
        "followups/meeting_form.html",
        {"form": form, **_page_context(project, meeting, request.user, steps)},
    )


# The meeting form's duration quick picks: (minutes, label).
DURATION_PICKS = (
    (30, gettext_lazy("30 min")),
    (45, gettext_lazy("45 min")),
    (60, gettext_lazy("1 h")),
    (90, gettext_lazy("1 h 30")),
    (120, gettext_lazy("2 h")),
)


def _page_context(project, meeting, user, steps) -> dict:
    return {
        "duration_picks": DURATION_PICKS,
        "steps": steps,
        "project": project,
        "meeting": meeting,
        "panel": selectors.project_followups(project, user),
        "is_officer": roles.is_officer(user),
    }


def get_note_for(user, pk) -> MeetingNote:
    """A note `user` may read (internal ones only for officers), else 404."""
    return get_object_or_404(
        MeetingNote.objects.visible_to(user).select_related("meeting__project"), pk=pk
    )


@login_required
def note_form(request, meeting_pk=None, pk=None):
    """Add a note to a meeting after the fact, or edit one (text and visibility).

    Officers on any note; the project's coach on their meetings' non-internal notes (an
    internal note does not exist for them: 404); managers read only (403)."""
    note = get_note_for(request.user, pk) if pk else None
    meeting = note.meeting if note else get_meeting_for(request.user, meeting_pk)
    permissions.require(permissions.can_log_meeting(request.user, meeting.project))
    if note is not None and not permissions.can_edit_note(request.user, note):
        raise PermissionDenied
    initial = {}
    if note is not None:
        initial = {"text": note.text, "visibility": note.visibility}
    form = NoteForm(request.POST or None, initial=initial, record=note, user=request.user)
    context = {"note": note, "meeting": meeting}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if note is None:
                services.note_add(
                    meeting=meeting,
                    text=data["text"],
                    visibility=data["visibility"],
                    by=request.user,
                )
                messages.success(request, _("La note est ajoutée."))
            else:
                services.note_update(
                    note=note,
                    text=data["text"],
                    visibility=data["visibility"],
                    by=request.user,
                    expected_version=form.expected_version,
                )
                messages.success(request, _("La note est modifiée."))
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleObjectError as stale:
            context.update(
                conflict_context(form, stale.current, form_kwargs={"user": request.user})
            )
            return render(request, "followups/note_form.html", context, status=409)
        else:
            return redirect(f"{reverse('followups:meeting-detail', args=[meeting.pk])}#notes-title")
    return render(request, "followups/note_form.html", {**context, "form": form})


@login_required
@require_POST
def note_delete(request, pk):
    note = get_note_for(request.user, pk)
    permissions.require(permissions.can_edit_note(request.user, note))
    meeting = note.meeting
    services.note_delete(note=note, by=request.user)
    messages.success(request, _("La note est supprimée."))
    return redirect(f"{reverse('followups:meeting-detail', args=[meeting.pk])}#notes-title")
