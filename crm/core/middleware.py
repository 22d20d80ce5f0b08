from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _

from crm.core.bounds import has_control_characters


class ChosenLanguageMiddleware:
    """Serve French unless the user picked another language in the footer.

    Unlike LocaleMiddleware this ignores the browser's Accept-Language: the audience is a
    French administration and an English-configured browser must not switch the UI."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AccountLanguageMiddleware:
    """The language saved on the signed-in user's account wins over the browser's cookie,
    so a choice follows the user to another browser; choosing one in the footer
    (i18n/setlang) while signed in saves it on the account. After AuthenticationMiddleware.

    The user row is the one the session loads anyway; saving is one UPDATE, on a choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        stored = getattr(user, "language", "") if signed_in else ""
        if stored in dict(settings.LANGUAGES) and stored != request.LANGUAGE_CODE:
            translation.activate(stored)
            request.LANGUAGE_CODE = stored
        response = self.get_response(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        chosen = response.cookies.get(cookie)
        if signed_in and chosen is not None and chosen.value in dict(settings.LANGUAGES):
            if chosen.value != stored:
                user._meta.model._default_manager.filter(pk=user.pk).update(language=chosen.value)
        elif stored and request.COOKIES.get(cookie) != stored:
            # This browser follows the account (and keeps it after signing out).
            response.set_cookie(
                cookie,
                stored,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        response.headers["Content-Language"] = request.LANGUAGE_CODE
        return response


class ControlCharactersMiddleware:
    """Answer 400 to a URL whose path or query string holds a control character (NUL and
    the other C0 characters but tab, line feed and carriage return).

    No page means one, and PostgreSQL refuses NUL in any string it is sent (psycopg raises
    ValueError): one check here instead of one in each view and filter that reads the
    query string — the anonymous calendar URL included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [request.path, *(v for _k, vs in request.GET.lists() for v in vs)]
        values += list(request.GET.keys())
        if any(has_control_characters(value) for value in values):
            return HttpResponseBadRequest(
                _("Adresse refusée : elle contient un caractère de contrôle."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
