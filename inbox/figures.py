"""The inbox in numbers, counts only and nothing personal: requests per month and the
time to a first answer."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.timesince import timesince

from .models import IntroductionRequest, Status

MONTHS = 12


@dataclass
class InboxFigures:
    months: list[tuple[datetime.date, int]]  # the first day of each month, oldest first
    median_first_action: datetime.timedelta | None  # None until staff have acted on one

    @property
    def median_words(self) -> str:
        """The median in words, in the active language ("2 days, 3 hours"); "" if none."""
        if self.median_first_action is None:
            return ""
        now = timezone.now()
        return timesince(now - self.median_first_action, now, depth=2)


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def inbox_figures(today: datetime.date | None = None) -> InboxFigures:
    """Requests received in each of the last MONTHS months (spam left out), and the median
    time from a request to the first thing staff did with it: one query."""
    today = today or timezone.localdate()
    starts = _month_starts(today, MONTHS)
    table = IntroductionRequest._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH median AS (
                SELECT percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY extract(epoch FROM first_action_at - received_at)) AS seconds
                FROM {table} WHERE first_action_at IS NOT NULL AND status <> %(spam)s
            ), months AS (
                SELECT (date_trunc('month', received_at AT TIME ZONE %(zone)s))::date AS month,
                       count(*) AS received
                FROM {table}
                WHERE status <> %(spam)s AND received_at >= %(since)s
                GROUP BY 1
            )
            SELECT months.month, months.received, median.seconds
            FROM median LEFT JOIN months ON true
            """,
            {
                "zone": timezone.get_current_timezone_name(),
                "spam": Status.SPAM,
                "since": datetime.datetime.combine(
                    starts[0], datetime.time.min, tzinfo=timezone.get_current_timezone()
                ),
            },
        )
        rows = cursor.fetchall()
    counts = {month: count for month, count, _median in rows if month is not None}
    seconds = rows[0][2]  # the same on every row; one row at least
    return InboxFigures(
        months=[(start, counts.get(start, 0)) for start in starts],
        median_first_action=None if seconds is None else datetime.timedelta(seconds=seconds),
    )
