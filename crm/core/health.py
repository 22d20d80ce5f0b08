"""`/healthz`: what a load balancer asks before sending a server traffic.

No login, no session, no template: the database answers a query, the cache stores and reads
back a value, and the background task queue has no task waiting longer than
HEALTH_TASK_MAX_AGE_SECONDS. 200 when all three hold, 503 otherwise, with a JSON body naming
the part that failed. Nothing in it is a secret: no address, user name or error message
(those stay in the server's log), only the kind of error."""

import logging
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

CACHE_KEY_PREFIX = "crm:healthz:"


def _failure(part: str, error: Exception) -> dict:
    logger.warning("Health check: %s failed", part, exc_info=error)
    return {"ok": False, "error": type(error).__name__}


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not healthy"
        return _failure("database", error)
    return {"ok": True}


def check_cache() -> dict:
    key = f"{CACHE_KEY_PREFIX}{uuid.uuid4().hex}"
    value = str(time.time())
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception as error:
        return _failure("cache", error)
    return {"ok": True} if ok else {"ok": False, "error": "value not read back"}


def oldest_ready_task_age() -> float | None:
    """Seconds the oldest task ready to run has been waiting for a worker (None: none waits).

    A task scheduled for later waits from its `run_after`, an immediate one from its
    enqueueing. Only with TASKS_BACKEND=database (the queue's table exists then)."""
    from django.db.models import Case, F, When
    from django.db.models.functions import Greatest
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest(F("enqueued_at"), F("run_after")),
    )
    oldest = (
        DBTaskResult.objects.ready()
        .annotate(ready_since=ready_since)
        .order_by("ready_since")
        .values_list("ready_since", flat=True)
        .first()
    )
    if oldest is None:
        return None
    return max(0.0, (timezone.now() - oldest).total_seconds())


def check_tasks() -> dict:
    if not apps.is_installed("django_tasks_db"):
        # TASKS_BACKEND=immediate: tasks run inside their request, there is no queue.
        return {"ok": True, "backend": "immediate"}
    try:
        age = oldest_ready_task_age()
    except Exception as error:
        return {**_failure("tasks", error), "backend": "database"}
    limit = settings.HEALTH_TASK_MAX_AGE_SECONDS
    result = {
        "ok": age is None or age <= limit,
        "backend": "database",
        "oldest_ready_seconds": None if age is None else round(age),
        "max_seconds": limit,
    }
    if not result["ok"]:
        result["error"] = "queue not drained (is db_worker running?)"
    return result


@never_cache
def healthz(request):
    checks = {"database": check_database(), "cache": check_cache(), "tasks": check_tasks()}
    healthy = all(check["ok"] for check in checks.values())
    failed = [name for name, check in checks.items() if not check["ok"]]
    return JsonResponse(
        {"status": "ok" if healthy else "error", "failed": failed, "checks": checks},
        status=200 if healthy else 503,
    )
