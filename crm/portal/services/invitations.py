"""Invitations to the entrepreneur space: a one-time link valid seven days, the password
set through it, revocation, and asking for a new link."""

import datetime
import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core.mail import absolute_url
from crm.core.roles import Role
from crm.models import User
from crm.portal import emails, permissions
from crm.portal.models import (
    INVITATION_DAYS,
    InvitationStatus,
    PortalAccount,
    PortalInvitation,
    token_hash,
)
from crm.security.sessions import user_deactivate


class InvitationError(ValidationError):
    """An invitation that cannot be made, with the reason in French."""


def _login_of(person) -> str:
    return person.email.strip().lower()


def _check_invitable(person) -> None:
    if person.archived_at is not None:
        raise InvitationError(_("Cette personne est archivée : restaurez-la avant de l'inviter."))
    if not person.email.strip():
        raise InvitationError(
            _(
                "%(name)s n'a pas d'adresse courriel : ajoutez-la sur sa fiche pour "
                "l'inviter dans son espace."
            )
            % {"name": person}
        )
    account = PortalAccount.objects.filter(person=person).select_related("user").first()
    clash = User.objects.filter(username__iexact=_login_of(person))
    if account is not None:
        clash = clash.exclude(pk=account.user_id)
    if clash.exists():
        raise InvitationError(
            _(
                "L'adresse %(email)s est déjà l'identifiant d'un autre compte : "
                "corrigez l'adresse de la personne ou contactez l'administrateur·rice."
            )
            % {"email": person.email}
        )


def portal_invite(*, person, by=None, send: bool = True) -> tuple[PortalInvitation, str]:
    """Invite `person` to their space: the earlier links stop working, a new one valid
    INVITATION_DAYS days is made and e-mailed (unless `send` is off). Returns the
    invitation and its link (shown only here: the database keeps the token's hash).
    `by` None is the command line (support)."""
    if by is not None and not permissions.can_invite(by, person):
        raise PermissionDenied
    _check_invitable(person)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        PortalInvitation.objects.filter(
            person=person, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now, revoked_by=by)
        invitation = PortalInvitation.objects.create(
            person=person,
            token_hash=token_hash(token),
            created_by=by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
        )
    link = absolute_url("portal:accept", token=token)
    if send:
        context = {
            "person": person,
            "link": link,
            "days": INVITATION_DAYS,
            "expires_at": invitation.expires_at,
            "by": by,
            "login": _login_of(person),
        }
        transaction.on_commit(
            lambda: emails.send(
                subject=_("Votre espace d'accompagnement : choisissez votre mot de passe"),
                template="portal/email_invitation.txt",
                html="portal/email_invitation.html",
                context=context,
                to=[person.email],
            )
        )
    return invitation, link


def invitation_for(token: str) -> PortalInvitation | None:
    if not token or len(token) > 200:
        return None
    return (
        PortalInvitation.objects.select_related("person")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Use the link: open (or reopen) the person's account with `password`, which the
    form checked against the password rules. Raises InvitationError if the link no longer
    works (used, expired, revoked)."""
    invitation = invitation_for(token)
    if invitation is None:
        raise InvitationError(_("Ce lien n'est pas valide."))
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationError(_("Ce lien ne fonctionne plus."))
    person = invitation.person
    _check_invitable(person)
    account = PortalAccount.objects.filter(person=person).select_related("user").first()
    if account is None:
        user = User(username=_login_of(person))
        account = PortalAccount(person=person)
    else:
        user = account.user
        user.username = _login_of(person)
    user.first_name, user.last_name, user.email = person.first_name, person.last_name, person.email
    user.is_active, user.is_staff, user.is_superuser = True, False, False
    user.set_password(password)
    user.save()
    # An entrepreneur holds no staff role, whatever happened to the account before.
    user.groups.remove(*Group.objects.filter(name__in=Role.values))
    account.user = user
    account.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user


@transaction.atomic
def portal_revoke(*, person, by) -> int:
    """Close the person's access: pending links stop working and the account is
    deactivated (its sessions end). Returns how many links were revoked."""
    if not permissions.can_invite(by, person):
        raise PermissionDenied
    revoked = PortalInvitation.objects.filter(
        person=person, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=by)
    account = PortalAccount.objects.filter(person=person).select_related("user").first()
    if account is not None and account.user.is_active:
        user_deactivate(user=account.user)
    return revoked


def invitation_renewal_ask(*, token: str) -> bool:
    """From a link that no longer works: tell whoever invited the person (and the staff of
    their projects) that they ask for a new one. Once per link; False when nothing sent."""
    invitation = invitation_for(token)
    if invitation is None or invitation.status == InvitationStatus.PENDING:
        return False
    updated = PortalInvitation.objects.filter(
        pk=invitation.pk, renewal_asked_at__isnull=True
    ).update(renewal_asked_at=timezone.now())
    if not updated:
        return False
    person = invitation.person
    to = emails.staff_of(person)
    if invitation.created_by and invitation.created_by.email:
        to.append(invitation.created_by.email)
    return emails.send(
        subject=_("%(name)s demande un nouveau lien vers son espace") % {"name": person},
        template="portal/email_renewal.txt",
        context={"person": person, "url": absolute_url(person.get_absolute_url())},
        to=to,
    )
