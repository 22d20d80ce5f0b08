"""The site's error handler for uncaught exceptions (handler500 in crm.config.urls).

When the database is down or its connection broke, pages answer a French 503 "service
unavailable" instead of a 500: the page (templates/503.html) is rendered without the
request's context processors, which would read the session and the user from the database.
Whatever the request had started writing is rolled back with its transaction
(`transaction.atomic` in every service), so nothing is half-written."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request) -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_server_error(request, *args, **kwargs):
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS) or isinstance(
        getattr(error, "__cause__", None), DATABASE_ERRORS
    ):
        return database_unavailable(request)
    return server_error(request, *args, **kwargs)
