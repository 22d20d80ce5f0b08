"""A call's letters e-mailed in the background (django-tasks): with TASKS_BACKEND=database
a large call is sent by `manage.py db_worker`, outside the request."""

import logging

from django_tasks import task

from crm.intake.services.letters import send_call_letters
from crm.models import Call

logger = logging.getLogger(__name__)


@task()
def email_call_letters(call_id: int) -> dict:
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        return {"sent": 0, "no_email": 0, "failed": 0}
    counts = send_call_letters(call)
    logger.info("Letters of call %s e-mailed: %s", call_id, counts)
    return counts
