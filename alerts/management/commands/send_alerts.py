from django.core.management.base import BaseCommand

from alerts import digests
from alerts.models import Frequency


class Command(BaseCommand):
    help = (
        "Queue this period's digests of the email alerts now (the mail worker does it each "
        "day from ALERTS_HOUR, and on Mondays for the weekly ones); safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=Frequency.values, default=Frequency.DAILY)

    def handle(self, frequency, **options):
        done = digests.run(frequency)
        self.stdout.write(
            f"{frequency} {done.period}: {done.digests} digests ({done.items} items) "
            f"for {done.subscribers} subscribers."
        )
