"""A background task for tests/crm/test_two_servers.py: it writes which worker ran it."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def record_run(number: int) -> int:
    """Append "number pid" to the file of TWO_WORKERS_LOG (O_APPEND: whole lines)."""
    time.sleep(0.05)  # long enough for the other worker to look for a task meanwhile
    with Path(os.environ["TWO_WORKERS_LOG"]).open("a") as log:
        log.write(f"{number} {os.getpid()}\n")
    return number
