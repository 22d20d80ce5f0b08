"""Request-scoped logging: one request id on every line a request writes, one line per
request (method, path, status, duration, user), and the JSON format (LOG_FORMAT=json).

The request id comes from the client's (or the proxy's) X-Request-ID when it looks like an
id, so that one id follows a request from the proxy's log to ours; otherwise we make one.
It is sent back in the response's X-Request-ID."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import empty

# Letters, digits and - _ . : only, at most 128 characters (a UUID, a proxy's $request_id,
# an AWS trace id...): anything else could forge log lines or fill them.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
request_logger = logging.getLogger("crm.request")


def request_id_from(header: str | None) -> str:
    """The incoming id if it is sane, else a new one (32 hex digits)."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request being served (`-` outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def _user_id(request):
    """The signed-in user's id, without a query: only if the request already loaded its
    user (a page did; a static file or /healthz did not, and must not touch the database)."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """First in MIDDLEWARE: times the whole request and writes one `crm.request` line.

    /healthz (polled by load balancers every few seconds) and static files are not
    logged, nor is either written to the access log (crm.security.audit)."""

    QUIET_PREFIXES = ("/healthz", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = request_id
            if not request.path.startswith(self.QUIET_PREFIXES):
                duration_ms = round((time.perf_counter() - started) * 1000, 1)
                request_logger.info(
                    "%s %s %s %s ms",
                    request.method,
                    request.path,
                    response.status_code,
                    duration_ms,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": duration_ms,
                        "user_id": _user_id(request),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: plain lines (`text`) or one JSON object a line (`json`), both
    with the request id."""
    formatters = {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "crm.core.logs.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        # WeasyPrint (notification letters) logs every rendering step at INFO.
        "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
        "root": {"handlers": ["console"], "level": level},
    }
