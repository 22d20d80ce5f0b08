"""The API's answers to the services' exceptions: a Django ValidationError is a 400 naming
the field, a stale version a 409 carrying the stored version."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from crm.core.concurrency import StaleObjectError


def exception_handler(exc, context):
    if isinstance(exc, StaleObjectError):
        return Response(
            {
                "detail": _(
                    "Cette fiche a été modifiée par quelqu'un d'autre depuis la version que "
                    "vous avez lue : rien n'a été enregistré. Relisez-la, puis réessayez."
                ),
                "current_version": exc.current.version,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = {
                ("non_field_errors" if key == NON_FIELD_ERRORS else key): [
                    str(m) for error in value for m in error.messages
                ]
                for key, value in exc.error_dict.items()
            }
        else:
            errors = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
