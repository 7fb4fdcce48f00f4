"""The alerts' scheduled work, run by the mail worker (settings.WORKER_JOBS)."""

import logging

from django.conf import settings
from django.utils import timezone

from . import digests
from .models import Frequency
from .subscriptions import forget_unconfirmed

logger = logging.getLogger(__name__)


def run_due(now=None) -> None:
    """From ALERTS_HOUR, the day's digests, and on Mondays the week's; and the unconfirmed
    subscriptions past their 7 days deleted. Each run skips who already has this period's
    digest: calling it every minute sends each digest once."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    forget_unconfirmed(now)
    if local.hour < settings.ALERTS_HOUR:
        return
    frequencies = [Frequency.DAILY] + ([Frequency.WEEKLY] if local.weekday() == 0 else [])
    for frequency in frequencies:
        done = digests.run(frequency, now)
        if done.digests:
            logger.info(
                "%s digests %s: %d queued for %d subscribers",
                frequency,
                done.period,
                done.digests,
                done.subscribers,
            )
