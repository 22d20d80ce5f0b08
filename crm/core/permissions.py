"""May this user do that? The one home of the CRM's write permissions.

Each predicate answers one question for one kind of action. Views ask it before rendering
a form or a button (and answer 403 when it says no); services assert it again before
writing (`require(...)`), so a command, an import or a test cannot bypass it. Reading is
decided elsewhere, once, by the querysets' `visible_to(user)`: a record a user may not see
is a 404 before any of these questions is asked.

Predicates read plain attributes (`project.coach_id`, `note.is_internal`): this module
imports no domain code. The table of predicates is in docs/architecture.md.
"""

import datetime
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from crm.core import roles

# Pipeline -----------------------------------------------------------------------------


def can_create_project(user) -> bool:
    return roles.is_officer(user)


def can_change_project(user, project) -> bool:
    """Officers every project, a coach the projects they follow; managers only read."""
    return roles.is_officer(user) or (roles.is_coach(user) and project.coach_id == user.pk)


def can_move_projects(user) -> bool:
    """Whether the board offers to move cards at all (each move asks can_change_project)."""
    return roles.is_officer(user) or roles.is_coach(user)


def can_assign_project(user) -> bool:
    """Change a project's coach and officer (side panel, the list's bulk assignment)."""
    return roles.is_officer(user)


def can_archive_project(user) -> bool:
    return roles.is_officer(user)


def can_record_measure(user, project) -> bool:
    """Record an outcome measure (jobs, turnover, funds): officers and the project's coach."""
    return can_change_project(user, project)


def can_record_esf(user, project) -> bool:
    """Record the ESF+ participant data (sensitive answers): officers and the project's
    coach, like the measures."""
    return can_change_project(user, project)


# Follow-ups ---------------------------------------------------------------------------


def can_log_meeting(user, project) -> bool:
    """Log a meeting, its notes and next steps: whoever may change the project."""
    return can_change_project(user, project)


# How long the author of a meeting may still delete it (an officer may at any time).
MEETING_DELETE_WINDOW = datetime.timedelta(days=1)


def can_delete_meeting(user, meeting, *, now: datetime.datetime) -> bool:
    """Delete a meeting logged by mistake: officers any; its author (who led it) for a day
    after it was logged, while they may still change the project."""
    if roles.is_officer(user):
        return True
    return (
        meeting.led_by_id == user.pk
        and meeting.created_at is not None
        and now - meeting.created_at <= MEETING_DELETE_WINDOW
        and can_log_meeting(user, meeting.project)
    )


def can_complete_action(user, action) -> bool:
    """Mark a next step done: its owner, an officer, or the project's coach."""
    return action.owner_id == user.pk or can_change_project(user, action.project)


def can_create_action(user, project) -> bool:
    """Set a next step on a project outside a meeting: whoever may change the project."""
    return can_change_project(user, project)


def can_change_action(user, action) -> bool:
    """Reassign, postpone, mark done or reopen a next step: as for marking it done."""
    return can_complete_action(user, action)


def can_write_to_entrepreneurs(user) -> bool:
    """Write an e-mail to a person we accompany (from their page): officers and coaches
    (a coach reaches only the people of their projects, through visible_to)."""
    return roles.is_officer(user) or roles.is_coach(user)


def can_write_about_project(user, project) -> bool:
    """Write to a project's entrepreneurs about it: whoever may change the project."""
    return can_change_project(user, project)


def can_manage_message_templates(user) -> bool:
    """The e-mail templates (subject, text, merge fields): the officers'."""
    return roles.is_officer(user)


def can_write_internal_notes(user) -> bool:
    """Internal notes are the officers' own: only they write (and read) them."""
    return roles.is_officer(user)


def can_edit_note(user, note) -> bool:
    """Officers any note; the project's coach the non-internal notes of its meetings."""
    if roles.is_officer(user):
        return True
    return not note.is_internal and can_log_meeting(user, note.meeting.project)


def can_run_programme(user) -> bool:
    """Workshops and attendance, cohorts, the provider's contract, orders and the
    certification of the service done: the officers'."""
    return roles.is_officer(user)


# Documents ----------------------------------------------------------------------------


def can_upload_document(user, project) -> bool:
    """Attach a document (or a new version): officers on any record; a coach on the
    project they follow and its meetings (`project`: the record's project, or None)."""
    if roles.is_officer(user):
        return True
    return project is not None and can_change_project(user, project)


def can_set_document_visibility(user, visibility: str) -> bool:
    """Internal documents are the officers' own, like internal notes."""
    return visibility != "internal" or can_write_internal_notes(user)


def can_delete_document(user) -> bool:
    return roles.is_officer(user)


def can_manage_document_categories(user) -> bool:
    return roles.is_officer(user)


# Contacts, intake, imports, security --------------------------------------------------


def can_change_contacts(user) -> bool:
    """Create, edit, archive, restore and merge people and organisations."""
    return roles.is_officer(user)


def can_triage(user) -> bool:
    """Read and decide the applications received through the public form."""
    return roles.is_officer(user)


def can_read_calls(user) -> bool:
    return roles.is_officer(user) or roles.is_manager(user)


def can_run_calls(user) -> bool:
    """Create calls, record applications, scores, decisions, payments and letters."""
    return roles.is_officer(user)


def can_manage_branding(user) -> bool:
    """Edit the body's letterhead (name, address, logo, signatory) and the letter templates."""
    return roles.is_officer(user)


def can_import(user) -> bool:
    return roles.is_officer(user)


def can_read_access_log(user) -> bool:
    return roles.is_officer(user)


def can_erase_person(user) -> bool:
    """Erase (anonymise) a person's data: an officer, after the confirmation page."""
    return roles.is_officer(user)


def can_manage_retention(user) -> bool:
    """See what falls due, extend a record, draw up and record elimination lists."""
    return roles.is_officer(user)


def can_enrol_two_factor(user) -> bool:
    return user.is_staff or roles.is_officer(user)


def can_read_reports(user) -> bool:
    """Any of the three roles (each sees the figures of what it may see)."""
    return roles.primary_role(user) is not None


def can_search(user) -> bool:
    """The global search: any of the three roles (each finds only what it may see)."""
    return roles.primary_role(user) is not None


# Personal data (GDPR) ----------------------------------------------------------------


def can_read_processing_register(user) -> bool:
    """The register of processing activities: officers and managers (not the provider)."""
    return roles.is_officer(user) or roles.is_manager(user)


def can_export_person_data(user) -> bool:
    """Download everything held on a person (right of access): officers, who alone read
    internal notes, which the export must include."""
    return roles.is_officer(user)


def can_withdraw_consent(user) -> bool:
    """Record a person's withdrawal of a consent: whoever may change people's records."""
    return can_change_contacts(user)


# Enforcement --------------------------------------------------------------------------


def require(allowed: bool) -> None:
    """In a service or a view: stop with 403 unless the predicate said yes."""
    if not allowed:
        raise PermissionDenied


def permission_required(predicate, *, for_post=None):
    """A view decorator: anonymous users go to the login page; a signed-in user for whom
    `predicate(user)` is false gets 403 (the page's existence is no secret, its data is).
    With `for_post`, a POST must also satisfy that predicate (read for all, write for some).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(predicate(request.user))
            if for_post is not None and request.method == "POST":
                require(for_post(request.user))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class PermissionRequiredMixin(AccessMixin):
    """The class-based form of `permission_required`: set `permission` to a predicate."""

    permission = staticmethod(lambda user: False)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require(self.permission(request.user))
        return super().dispatch(request, *args, **kwargs)


def can_use_api(user) -> bool:
    """The REST API and its tokens: any of the three roles (each reads what it may see)."""
    return roles.primary_role(user) is not None
