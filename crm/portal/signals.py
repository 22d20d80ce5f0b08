"""At login, mark an entrepreneur's session (one query, at login only), so that the
separation middleware knows them on every request without asking the database."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from crm.portal.models import PortalAccount

# Session key holding the entrepreneur's person pk.
SESSION_KEY = "portal_person"


@receiver(user_logged_in, dispatch_uid="portal_mark_session")
def mark_entrepreneur_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    person_pk = PortalAccount.objects.filter(user=user).values_list("person_id", flat=True).first()
    if person_pk is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = person_pk
