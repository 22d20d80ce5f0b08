"""The invitation link (public: the link is the credential), and the staff's invite and
revoke buttons on a person's page."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contacts.models import Person
from crm.core import permissions as core_permissions
from crm.models import User
from crm.portal import permissions, services
from crm.portal.forms import PasswordForm
from crm.portal.models import InvitationStatus
from crm.portal.services.invitations import invitation_for
from crm.security.sessions import start_session_clock

BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def accept(request, token):
    """Choose a password from the invitation link, then enter the space."""
    invitation = invitation_for(token)
    status = invitation.status if invitation else None
    if status != InvitationStatus.PENDING:
        return render(
            request,
            "portal/invitation_invalid.html",
            {"status": status, "token": token, "statuses": InvitationStatus},
            status=410 if invitation else 404,
        )
    person = invitation.person
    probe = User(
        username=person.email.lower(),
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
    )
    form = PasswordForm(request.POST or None, user=probe)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=BACKEND)
            start_session_clock(request)
            messages.success(request, _("Bienvenue dans votre espace."))
            return redirect("portal:home")
    return render(
        request,
        "portal/invitation_accept.html",
        {"form": form, "person": person, "login": person.email.lower(), "invitation": invitation},
    )


@require_POST
def renewal(request, token):
    """From a link that no longer works: ask for a new one (the staff are told)."""
    invitation = invitation_for(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", {"status": None}, status=404)
    services.invitation_renewal_ask(token=token)
    return render(request, "portal/invitation_renewal.html", status=200)


def _person_for(user, pk) -> Person:
    person = get_object_or_404(Person.objects.visible_to(user), pk=pk)
    core_permissions.require(permissions.can_invite(user, person))
    return person


@login_required
@require_POST
def invite(request, person_pk):
    person = _person_for(request.user, person_pk)
    try:
        _invitation, _link = services.portal_invite(person=person, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Invitation envoyée à %(email)s : le lien est valable 7 jours.")
            % {"email": person.email},
        )
    return redirect(person)


@login_required
@require_POST
def revoke(request, person_pk):
    person = _person_for(request.user, person_pk)
    services.portal_revoke(person=person, by=request.user)
    messages.success(request, _("L'accès de %(name)s à son espace est fermé.") % {"name": person})
    return redirect(person)
