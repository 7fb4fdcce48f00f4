import time

from django.conf import settings
from django.core.management.base import BaseCommand

from outbox.worker import worker_from_settings


class Command(BaseCommand):
    help = "Send the queued mail, and keep sending it until stopped (bin/serve starts it)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then stop.")

    def handle(self, once=False, **options):
        worker = worker_from_settings()
        if once:
            worker.step(time.monotonic())
            return
        self.stdout.write("Mail worker: sending the queue (Ctrl-C stops).")
        worker.run(settings.MAIL_POLL_SECONDS)
