"""The mail worker: sends the queue, retries failures with a growing wait.

django-mailer keeps the queue (``mailer.models.Message``) and sends it
(``mailer.engine.send_all``): each message is locked (``SELECT … FOR UPDATE
NOWAIT``), sent, then deleted in one transaction, so two workers never send
the same message. A message that fails is marked deferred; this worker puts
the deferred messages back in the queue after a wait that doubles with each
failed attempt (``MAIL_RETRY_MIN_SECONDS`` up to ``MAIL_RETRY_MAX_SECONDS``)
and starts again from the shortest wait once mail goes through. Nothing is
ever dropped: a message stays in the queue, visible in the admin, until it
is sent.
"""

import logging
import signal
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string
from mailer import engine
from mailer.models import RESULT_FAILURE, Message, MessageLog

logger = logging.getLogger(__name__)


def defer_on_error(connection, message, exc):
    """Any failure defers the message (django-mailer's own handler re-raises the unexpected)."""
    try:
        return engine.handle_delivery_exception(connection, message, exc)
    except Exception:
        logger.exception("message %s could not be sent; deferred", message.pk)
        message.defer()
        MessageLog.objects.log(message, RESULT_FAILURE, log_message=repr(exc))
        return None, "deferred"


@dataclass
class Worker:
    min_wait: float = 10
    max_wait: float = 900
    wait: float = 0
    next_retry: float = 0
    next_jobs: float = 0

    def __post_init__(self):
        self.wait = self.min_wait

    def step(self, now: float) -> None:
        """One round: the jobs when due (they may queue mail: the email alerts' digests),
        then send what is queued, and retry the deferred ones when their wait is over."""
        if now >= self.next_jobs:
            self.next_jobs = now + settings.WORKER_JOBS_SECONDS
            for job in settings.WORKER_JOBS:
                try:
                    import_string(job)()
                except Exception:  # one job failing does not stop the mail
                    logger.exception("worker job %s failed", job)
        if Message.objects.non_deferred().exists():
            engine.send_all()
        if not Message.objects.deferred().exists():
            self.wait = self.min_wait
            return
        if now < self.next_retry:
            return
        if self.next_retry:  # the wait is over: try the deferred messages again
            Message.objects.retry_deferred()
            engine.send_all()
            failed = Message.objects.deferred().exists()
            self.wait = min(self.wait * 2, self.max_wait) if failed else self.min_wait
            if not failed:
                self.next_retry = 0
                return
        self.next_retry = now + self.wait
        logger.warning("mail could not be sent; next attempt in %d s", self.wait)

    def run(self, poll: float) -> None:
        """Rounds every ``poll`` seconds until SIGTERM or SIGINT."""
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *args: stopping.append(True))
        while not stopping:
            close_old_connections()
            try:
                self.step(time.monotonic())
            except Exception:  # the database is away: say so, wait, go on
                logger.exception("mail worker round failed")
            deadline = time.monotonic() + poll
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)


def worker_from_settings() -> Worker:
    return Worker(settings.MAIL_RETRY_MIN_SECONDS, settings.MAIL_RETRY_MAX_SECONDS)
