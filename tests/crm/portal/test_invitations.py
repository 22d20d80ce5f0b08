"""Invitations: a one-time link valid seven days, the password set through it, revocation,
the refusals (no e-mail address, a link that no longer works) and the command."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from crm.models import User
from crm.portal.models import PortalInvitation, token_hash
from tests.crm.portal.helpers import PASSWORD, expire, invite, text, token_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_officer_invites_a_person_who_receives_a_link_valid_seven_days(
    client, officer, their_project, person, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://crm.example.fr"
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/espace/personnes/{person.pk}/inviter/")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["chloe@exemple.fr"]
    link = next(line for line in message.body.splitlines() if "/espace/invitation/" in line)
    assert link.startswith("https://crm.example.fr/espace/invitation/")
    assert "7 jours" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link in html
    invitation = PortalInvitation.objects.get(person=person)
    # Only the hash is stored, never the token of the link.
    assert invitation.token_hash == token_hash(token_of(link))
    assert token_of(link) not in str(PortalInvitation.objects.values().get())
    assert (invitation.expires_at - invitation.created_at).days == 7
    page = client.get(f"/contacts/people/{person.pk}/")
    assert "Invitation envoyée à chloe@exemple.fr" in text(page)


def test_a_person_without_an_email_address_cannot_be_invited(client, officer):
    person = PersonFactory(first_name="Sans", last_name="Adresse", email="")
    client.force_login(officer)
    response = client.post(f"/espace/personnes/{person.pk}/inviter/", follow=True)
    assert "Sans Adresse n'a pas d'adresse courriel" in text(response)
    assert not PortalInvitation.objects.exists()
    assert not mail.outbox


def test_the_projects_coach_may_invite_another_coach_never_and_a_manager_is_refused(
    client, coach, other_coach, manager, their_project, person
):
    url = f"/espace/personnes/{person.pk}/inviter/"
    client.force_login(other_coach)
    assert client.post(url).status_code == 404
    client.force_login(manager)
    assert client.post(url).status_code == 403
    client.force_login(coach)
    assert client.post(url).status_code == 302
    assert PortalInvitation.objects.filter(person=person, created_by=coach).exists()


def test_the_link_sets_a_password_with_the_staff_rules_then_opens_the_space(client, person):
    _invitation, token = invite(person)
    page = client.get(f"/espace/invitation/{token}/")
    assert "chloe@exemple.fr" in text(page)
    short = client.post(
        f"/espace/invitation/{token}/", {"password1": "court", "password2": "court"}
    )
    assert short.status_code == 200
    assert "trop court" in text(short)
    assert not User.objects.filter(username="chloe@exemple.fr").exists()
    response = client.post(
        f"/espace/invitation/{token}/", {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/espace/"
    assert "Bonjour Chloé" in text(client.get("/espace/"))
    user = User.objects.get(username="chloe@exemple.fr")
    assert user.check_password(PASSWORD) and not user.is_staff
    assert not user.groups.exists()


@pytest.mark.parametrize(
    ("state", "said"),
    [
        ("used", "Ce lien a déjà servi"),
        ("expired", "Ce lien a expiré"),
        ("revoked", "Ce lien a été annulé"),
    ],
)
def test_a_link_that_no_longer_works_says_why_and_offers_a_new_one(
    client, officer, their_project, person, state, said, django_capture_on_commit_callbacks
):
    invitation, token = invite(person, by=officer)
    if state == "used":
        client.post(f"/espace/invitation/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
        client.logout()
    elif state == "expired":
        expire(invitation)
    else:
        invite(person, by=officer)  # a newer link revokes the older one
    page = client.get(f"/espace/invitation/{token}/")
    assert page.status_code == 410
    assert said in text(page)
    assert "Demander un nouveau lien" in text(page)
    mail.outbox.clear()
    asked = client.post(f"/espace/invitation/{token}/nouveau-lien/")
    assert "Demande transmise" in text(asked)
    (message,) = mail.outbox
    assert officer.email in message.to
    assert "demande un nouveau lien" in message.subject
    # Asking twice tells the staff once.
    client.post(f"/espace/invitation/{token}/nouveau-lien/")
    assert len(mail.outbox) == 1


def test_an_unknown_link_is_a_404_that_says_so(client):
    page = client.get("/espace/invitation/pas-un-vrai-lien/")
    assert page.status_code == 404
    assert "Ce lien n'est pas valide" in text(page)


def test_revoking_closes_the_account_and_its_pending_links(client, officer, entrepreneur, person):
    _pending, token = invite(person, by=officer)
    other = client.__class__()
    other.force_login(entrepreneur)
    assert other.get("/espace/").status_code == 200
    client.force_login(officer)
    assert client.post(f"/espace/personnes/{person.pk}/revoquer/").status_code == 302
    entrepreneur.refresh_from_db()
    assert not entrepreneur.is_active
    # Their session ended, and the pending link no longer works.
    assert other.get("/espace/").status_code == 302
    assert client.get(f"/espace/invitation/{token}/").status_code == 410
    assert not client.login(username="chloe@exemple.fr", password=PASSWORD)


def test_a_new_invitation_reopens_a_revoked_account_with_a_new_password(officer, person):
    from crm.portal.services import invitation_accept, portal_revoke
    from tests.crm.portal.helpers import make_entrepreneur

    user = make_entrepreneur(person)
    portal_revoke(person=person, by=officer)
    _invitation, token = invite(person, by=officer)
    again = invitation_accept(token=token, password="Encore-un-mot-de-passe-2026")
    assert again.pk == user.pk and again.is_active


def test_the_command_prints_the_link(person):
    out = io.StringIO()
    call_command("portal_invite", str(person.pk), "--no-email", stdout=out, stderr=io.StringIO())
    link = out.getvalue().strip()
    assert "/espace/invitation/" in link
    assert PortalInvitation.objects.get().token_hash == token_hash(token_of(link))
    assert not mail.outbox


def test_the_command_refuses_a_person_without_an_address():
    from django.core.management.base import CommandError

    person = PersonFactory(email="")
    with pytest.raises(CommandError, match="pas d'adresse courriel"):
        call_command("portal_invite", str(person.pk), stdout=io.StringIO())
