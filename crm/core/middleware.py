from django.conf import settings
from django.utils import translation


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
