"""Session lifetime, two-factor enforcement, security headers and account deactivation."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import roles

# Session key holding the Unix time of the login (for SESSION_ABSOLUTE_AGE).
LOGIN_AT_KEY = "crm_login_at"
# Session key holding the Unix time the session's expiry was last pushed back.
TOUCHED_AT_KEY = "crm_touched_at"


def start_session_clock(request) -> None:
    """Mark the login time (a re-login in the same browser restarts the absolute lifetime)."""
    request.session[LOGIN_AT_KEY] = time.time()


class SessionLifetimeMiddleware:
    """End a session SESSION_ABSOLUTE_AGE seconds after its login, however active it is,
    and SESSION_COOKIE_AGE seconds after its last request.

    Each save pushes the session's expiry SESSION_COOKIE_AGE ahead. Saving on every request
    (SESSION_SAVE_EVERY_REQUEST) made every page view a database write and commit, which
    set the p95 under load; the session is saved when its last push is older than
    SESSION_TOUCH_SECONDS instead, so inactivity ends it within that margin.
    Must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_KEY)
            now = time.time()
            if login_at is None:
                request.session[LOGIN_AT_KEY] = now
            elif now - login_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                messages.info(
                    request, _("Votre session a expiré : reconnectez-vous pour continuer.")
                )
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            touched_at = request.session.get(TOUCHED_AT_KEY, 0)
            if now - touched_at >= settings.SESSION_TOUCH_SECONDS:
                request.session[TOUCHED_AT_KEY] = now  # saved, with a new expiry
        return self.get_response(request)


def user_has_device(user) -> bool:
    """Whether `user` enrolled a confirmed two-factor device (one query)."""
    from django_otp import user_has_device as otp_user_has_device

    return bool(user.is_authenticated) and otp_user_has_device(user, confirmed=True)


def needs_two_factor(user) -> bool:
    """Officers and staff must enrol when OTP_REQUIRED_FOR_OFFICERS is on."""
    return settings.OTP_REQUIRED_FOR_OFFICERS and (user.is_staff or roles.is_officer(user))


class TwoFactorRequiredMiddleware:
    """With OTP_REQUIRED_FOR_OFFICERS on, send an officer or staff member whose session is
    not verified by a second factor to the enrolment page. Off by default."""

    ALLOWED_URL_NAMES = {"two-factor", "otp-verify", "logout", "login", "set_language", "healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and needs_two_factor(user)
            and not user.is_verified()
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in self.ALLOWED_URL_NAMES:
                return redirect("security:two-factor")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Deny the browser features the CRM never uses (camera, geolocation…)."""

    POLICY = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "camera",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "payment",
            "usb",
            "interest-cohort",
        )
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def end_user_sessions(*, user) -> int:
    """Delete every live session of `user`; returns how many were ended.

    Reads each unexpired session (the database backend has no index by user): fine for a
    team of a few dozen accounts."""
    user_pk = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_pk:
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user) -> int:
    """Deactivate `user` and end their sessions at once; returns the sessions ended.

    The admin's "deactivate" action and the user form both call this."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return end_user_sessions(user=user)
