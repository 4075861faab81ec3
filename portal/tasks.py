"""Tasks of the portal itself (not of one app)."""

import os
import socket

from celery import shared_task


@shared_task(name="portal.healthcheck")
def healthcheck(nonce: str) -> dict[str, str]:
    """Echo the nonce with the worker's host and pid: proves a round trip through a worker."""
    return {"nonce": nonce, "host": socket.gethostname(), "pid": str(os.getpid())}
