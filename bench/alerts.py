"""Build every digest of a daily run for 10,000 subscribers at 100,000 clusters, and time it.

Run against the benchmark's database (bench/run builds it), e.g.::

    EMBEDDED_PG_DATABASE=clusters_bench bin/... ; .venv/bin/python bench/alerts.py

It creates SUBSCRIBERS confirmed daily alerts with varied filters (the
directory's regions, sectors, types and a search word, the calls' and events'
filters), marks NEW published clusters as published an hour ago, runs
``alerts.digests.run("daily")`` (matching, rendering and queueing every
digest), counts its queries, and rolls everything back: the database is left
as it was. Writes bench/results/alerts.md.
"""

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusters_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from alerts import digests  # noqa: E402
from alerts.models import Subscription  # noqa: E402
from directory.models import CallForProposals, Cluster, ClusterType, Region, Sector  # noqa: E402

SUBSCRIBERS = int(os.environ.get("SUBSCRIBERS", "10000"))
NEW = int(os.environ.get("NEW", "1000"))
WORDS = ["energie", "mer", "sante", "numerique", "bois", "textile", "aero", "agri", "bio", ""]


class Rollback(Exception):
    pass


def query(rng, regions, sectors, types):
    params = []
    for name, values, share in (("region", regions, 0.6), ("sector", sectors, 0.6)):
        if rng.random() < share:
            params += [f"{name}={v}" for v in rng.sample(values, rng.choice([1, 1, 2]))]
    if rng.random() < 0.2:
        params.append(f"type={rng.choice(types)}")
    word = rng.choice(WORDS)
    if word and rng.random() < 0.3:
        params.append(f"q={word}")
    return "&".join(sorted(params))


def main():
    rng = random.Random(1)
    regions = list(Region.objects.values_list("slug", flat=True))
    sectors = list(Sector.objects.values_list("slug", flat=True))
    types = list(ClusterType.objects.values_list("slug", flat=True))
    now = timezone.now()
    yesterday = now - timedelta(days=1)
    figures = {}
    try:
        with transaction.atomic():
            month_ago = now - timedelta(days=30)  # the guide as it was: nothing new
            for model in (Cluster, CallForProposals):
                model.objects.published().update(published_at=month_ago)
            new_ids = rng.sample(
                list(Cluster.objects.published().values_list("pk", flat=True)), NEW
            )
            Cluster.objects.filter(pk__in=new_ids).update(published_at=now - timedelta(hours=1))
            CallForProposals.objects.published().filter(
                pk__in=CallForProposals.objects.published().values("pk")[:3]
            ).update(published_at=now - timedelta(hours=1))
            alerts = []
            for i in range(SUBSCRIBERS):
                target = rng.choices(["clusters", "calls", "events"], [0.7, 0.2, 0.1])[0]
                alerts.append(
                    Subscription(
                        email=f"reader{i}@bench.example",
                        target=target,
                        query=query(rng, regions, sectors, types) if target == "clusters" else "",
                        language=rng.choice(["fr", "en"]),
                        frequency="daily",
                        consent_page="/fr/clusters/",
                        confirmed_at=yesterday,
                        watermark=yesterday,
                    )
                )
            Subscription.objects.bulk_create(alerts, ignore_conflicts=True)
            distinct = len({(a.target, a.query) for a in alerts})
            started = time.perf_counter()
            counted = {"all": 0, "mail": 0}

            def count(execute, sql, params, many, context):
                counted["all"] += 1
                counted["mail"] += 'INSERT INTO "mailer_message"' in sql
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                done = digests.run("daily", now)
            seconds = time.perf_counter() - started
            batches = -(-done.subscribers // digests.BATCH)
            figures = {
                "seconds": seconds,
                "subscribers": done.subscribers,
                "distinct": distinct,
                "digests": done.digests,
                "items": done.items,
                "queries": counted["all"],
                "mail_inserts": counted["mail"],
                "batches": batches,
            }
            raise Rollback
    except Rollback:
        pass
    f = figures
    other = f["queries"] - f["mail_inserts"]
    report = f"""# Email alerts: a daily run for {f["subscribers"]:,} subscribers

{datetime.now(UTC).isoformat(timespec="seconds")}; {Cluster.objects.count():,} clusters,
{NEW:,} of them published in the last day; {f["subscribers"]:,} confirmed daily alerts
({f["distinct"]:,} distinct filters: 70% on the directory, 20% on the calls, 10% on
the events); `alerts.digests.run("daily")`, everything rolled back afterwards.

| figure | value |
|---|---|
| time to build and queue every digest | {f["seconds"]:.1f} s |
| digests queued (subscribers with something new) | {f["digests"]:,} |
| items in them | {f["items"]:,} |
| batches of {digests.BATCH} subscribers | {f["batches"]} |
| queries in all | {f["queries"]:,} |
| of which queued messages (django-mailer rows: one insert a batch) | {f["mail_inserts"]:,} |
| the others: matching (a few per distinct filter), six per batch | {other:,} |

Goal: every digest of a run built in under 2 minutes: {"met" if f["seconds"] < 120 else "NOT met"}.
"""
    (ROOT / "bench" / "results" / "alerts.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
