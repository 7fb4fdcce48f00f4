"""The digests: one email per subscriber per period, holding what is new for its alert.

``run(frequency)`` reads what is new once for the whole run (the entries
published since the oldest subscriber's last digest, and the calls whose
deadline is 14 or 3 days away), matches each distinct alert once with the
list page's own FilterSet (an alert means what its page shows), then goes
through the subscribers a batch at a time. Each batch is one transaction:
its digests are queued (outbox), its items recorded as delivered and its
subscribers marked done for the period together, so a crash and a rerun
never send an item twice, and no item appears in two digests of one
subscriber (``Delivery`` is unique per subscriber, item and reason).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone, translation

from directory import content_version
from directory.models import CallForProposals, Cluster, Event
from outbox.mail import compose, mail_domain, queue_all

from .follows import described, filterset
from .models import Delivery, Frequency, Reason, Subscription, Target

BATCH = 500
MAX_ITEMS = 50  # a digest lists at most this many items, then links to the page for the rest
DEADLINES = {Reason.DEADLINE_14: 14, Reason.DEADLINE_3: 3}
MODELS = {Target.CLUSTERS: Cluster, Target.CALLS: CallForProposals, Target.EVENTS: Event}


def period_of(frequency: str, now: datetime.datetime) -> str:
    """The period a digest covers: its day, or its ISO week (``2026-W49``)."""
    day = timezone.localdate(now)
    if frequency == Frequency.DAILY:
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Run:
    frequency: str
    period: str
    subscribers: int = 0
    digests: int = 0
    items: int = 0


def run(frequency: str, now: datetime.datetime | None = None, batch: int = BATCH) -> Run:
    """Queue this period's digests of ``frequency``; what was done."""
    with content_version.request_scope():  # one version for the run: read once
        return _run(frequency, now, batch)


def _run(frequency, now, batch) -> Run:
    now = now or timezone.now()
    result = Run(frequency, period_of(frequency, now))
    due = (
        Subscription.objects.active().filter(frequency=frequency).exclude(last_period=result.period)
    )
    since = due.aggregate(since=Min("watermark"))["since"]
    if since is None:
        return result
    news = _news(since, now, frequency)
    matches = _Matches(news, since, now)
    last = 0
    while True:
        with transaction.atomic():
            subscribers = list(
                due.filter(pk__gt=last).order_by("pk").select_for_update(skip_locked=True)[:batch]
            )
            if not subscribers:
                return result
            last = subscribers[-1].pk
            _send_batch(subscribers, matches, result, now)


@dataclass
class _Item:
    target: str
    pk: int
    reason: str
    when: datetime.datetime | None  # published, or label changed (None: a deadline)
    entry: object


def _news(since, now, frequency=Frequency.DAILY) -> list[_Item]:
    """Every item some digest of the run may hold, read once.

    A reminder "N days before the deadline" goes in the digest of the period in which
    that day falls, so a subscriber is told at least N days ahead: a daily digest
    reminds of the calls closing in exactly N days, a weekly one of those closing in
    N to N + 6 days (the next weekly digest comes after their N-day mark). The windows
    of successive periods neither overlap nor leave gaps.
    """
    items = []
    for target, model in MODELS.items():
        new = model.objects.published().filter(published_at__gt=since, published_at__lte=now)
        items += [_Item(target, entry.pk, Reason.NEW, entry.published_at, entry) for entry in new]
    relabelled = Cluster.objects.published().filter(
        label_changed_at__gt=since, label_changed_at__lte=now, published_at__lte=since
    )
    items += [_Item(Target.CLUSTERS, c.pk, Reason.LABEL, c.label_changed_at, c) for c in relabelled]
    today = timezone.localdate(now)
    length = 1 if frequency == Frequency.DAILY else 7
    day = datetime.timedelta(days=1)
    windows = {
        reason: (today + days * day, today + (days + length) * day)
        for reason, days in DEADLINES.items()
    }
    closing = CallForProposals.objects.published().filter(
        reduce(or_, (Q(closes_on__gte=start, closes_on__lt=end) for start, end in windows.values()))
    )
    for call in closing:
        for reason, (start, end) in windows.items():
            if start <= call.closes_on < end:
                items.append(_Item(Target.CALLS, call.pk, reason, None, call))
    return items


class _Matches:
    """Which of the run's items each distinct alert (target and filters) follows: one
    query per distinct alert, whatever the number of its subscribers."""

    def __init__(self, news, since, now):
        self.targets = {item.target for item in news}
        reminded = [item.pk for item in news if item.when is None]
        # The run's items as a condition, not a list of ids: a day of a large import is
        # thousands of them.
        self.condition = Q(published_at__gt=since, published_at__lte=now) | Q(pk__in=reminded)
        self.relabelled = Q(label_changed_at__gt=since, label_changed_at__lte=now)
        self.by_target = defaultdict(list)
        for item in news:
            self.by_target[item.target].append(item)
        self.found = {}
        self.words = {}

    def described(self, target, query, language) -> list[tuple[str, str]]:
        """The alert's filters in words (follows.described()), once per language."""
        key = (target, query, language)
        if key not in self.words:
            with translation.override(language):
                self.words[key] = described(target, query)
        return self.words[key]

    def of(self, target, query) -> set[int]:
        key = (target, query)
        if key not in self.found:
            self.found[key] = (
                set(
                    filterset(target, query)
                    .qs.filter(
                        self.condition | self.relabelled
                        if target == Target.CLUSTERS
                        else self.condition
                    )
                    .values_list("pk", flat=True)
                )
                if target in self.targets
                else set()
            )
        return self.found[key]


def _send_batch(subscribers, matches, result, now):
    # What this period's digests already hold (Delivery is unique per period).
    told = set(
        Delivery.objects.filter(subscription__in=subscribers, period=result.period).values_list(
            "subscription_id", "target", "item_id", "reason"
        )
    )
    deliveries, mails = [], []
    for subscriber in subscribers:
        followed = matches.of(subscriber.target, subscriber.query)
        items = [
            item
            for item in matches.by_target[subscriber.target]
            if item.pk in followed
            and (item.when is None or item.when > subscriber.watermark)
            and (subscriber.pk, item.target, item.pk, item.reason) not in told
        ]
        result.subscribers += 1
        subscriber.last_period = result.period
        subscriber.watermark = now
        if not items:
            continue  # no email when nothing is new
        more = max(0, len(items) - MAX_ITEMS)
        items = items[:MAX_ITEMS]
        filters = matches.described(subscriber.target, subscriber.query, subscriber.language)
        mails.append(_digest(subscriber, items, filters, result.period, now, more))
        result.digests += 1
        result.items += len(items)
        deliveries += [
            Delivery(
                subscription=subscriber,
                target=item.target,
                item_id=item.pk,
                reason=item.reason,
                period=result.period,
            )
            for item in items
        ]
    queue_all(mails)
    Delivery.objects.bulk_create(deliveries)
    Subscription.objects.bulk_update(subscribers, ["last_period", "watermark"])


def _digest(subscriber, items, filters, period, now, more=0):
    """The digest's email, to be queued with its batch."""
    site = settings.SITE_URL.rstrip("/")
    language = subscriber.language
    today = timezone.localdate(now)
    with translation.override(language):
        token = subscriber.manage_token()
        manage = site + reverse("alerts:manage", kwargs={"token": token})
        unsubscribe = site + reverse("alerts:unsubscribe", kwargs={"token": token})
        entries = [
            {
                "title": str(item.entry),
                "url": site + item.entry.get_absolute_url(),
                "reason": item.reason,
                "entry": item.entry,
                "days": (item.entry.closes_on - today).days if item.reason in DEADLINES else None,
            }
            for item in items
        ]
    return compose(
        "alerts/mail/digest",
        [subscriber.email],
        language,
        {
            "subscription": subscriber,
            "items": entries,
            "new": [e for e in entries if e["reason"] == Reason.NEW],
            "relabelled": [e for e in entries if e["reason"] == Reason.LABEL],
            "deadlines": [e for e in entries if e["reason"] in DEADLINES],
            "filters": filters,
            "manage_url": manage,
            "unsubscribe_url": unsubscribe,
            "period": period,
            "more": more,
            "page_url": site + subscriber.consent_page,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{subscriber.target}.alerts.{mail_domain()}>",
        },
    )
