"""Keep entrepreneurs in their space: a signed-in entrepreneur who asks for any page
outside it gets 404, as a user without a role would, and the home page sends them to
their space. Staff sessions cost nothing here (the mark is in the session, set at login)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from crm.portal.signals import SESSION_KEY

# Routes outside the "portal" namespace an entrepreneur uses.
ALLOWED = {"login", "logout", "set_language", "healthz", "security:otp-verify", "branding:logo"}
# Portal routes that are for the staff (invite from a person's page, revoke).
STAFF_ONLY = {"portal:invite", "portal:revoke"}


def entrepreneur_may_open(name: str | None) -> bool:
    if name is None:
        return False
    if name in STAFF_ONLY:
        return False
    return name in ALLOWED or name.startswith("portal:")


class EntrepreneurSeparationMiddleware:
    """Must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and user is not None
            and user.is_authenticated
            and session.get(SESSION_KEY) is not None
            and not request.path.startswith(self.static)
        ):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = None
            if name == "crm:home":
                return redirect("portal:home")
            if not entrepreneur_may_open(name):
                raise Http404
        return self.get_response(request)
