"""Crawl the guide at many distinct addresses and watch the gunicorn workers' memory.

A security scanner's crawl (22,000 requests to distinct addresses) once left
each gunicorn worker holding 700-750 MB, all of it cached pages. This script
replays that kind of crawl against a running guide and reports the resident
memory (VmRSS) of every worker of the gunicorn master, before, every 5,000
requests, and after, as a Markdown table.

Usage: serve the guide with gunicorn on production settings and no REDIS_URL,
then crawl it from another shell (the master's pid names the workers)::

    source bin/_bootstrap.sh   # DATABASE_URL: the embedded PostgreSQL
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_guide
    export DEBUG=false ALLOWED_HOSTS=127.0.0.1 STATIC_ROOT=/tmp/static PAGE_CACHE_SECONDS=600
    .venv/bin/python manage.py collectstatic --no-input
    .venv/bin/gunicorn clusters_site.wsgi --bind 127.0.0.1:8000 --workers 2 \\
        --no-control-socket --pid /tmp/gunicorn.pid &

    .venv/bin/python bench/crawl_memory.py --url http://127.0.0.1:8000 \\
        --requests 50000 --master-pid "$(cat /tmp/gunicorn.pid)"

The addresses mix directory searches with random words, random facet filters
(values read from the directory page itself), sorts and pages, cluster pages,
the calls and events lists with their filters, unknown parameters and unknown
values, and trivially different spellings of the same address (parameters
shuffled, ``page=1``, empty values). ``--seed`` makes a run repeatable.
Plain Python: only the standard library, so it also runs outside the venv.
Results of a run: bench/results/2026-12-04-crawl-memory.md.
"""

import argparse
import collections
import concurrent.futures
import os
import random
import re
import string
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

WORDS = [
    "energie",
    "numerique",
    "sante",
    "bois",
    "mer",
    "agriculture",
    "logistique",
    "innovation",
    "eau",
    "batiment",
    "textile",
    "aeronautique",
    "automobile",
    "tourisme",
    "industrie",
    "chimie",
    "plasturgie",
    "robotique",
    "cyber",
    "image",
    "design",
    "artisanat",
    "metal",
    "vin",
    "lait",
    "peche",
    "foret",
    "hydrogene",
    "eolien",
    "solaire",
    "recyclage",
    "dechets",
    "mobilite",
    "transport",
    "ferroviaire",
    "spatial",
    "optique",
    "photonique",
    "biotech",
    "pharma",
    "cosmetique",
    "luxe",
    "mode",
    "jeux",
    "video",
    "audiovisuel",
    "bretagne",
    "normandie",
    "occitanie",
    "alsace",
    "lyon",
    "paris",
    "nantes",
    "grenoble",
    "toulouse",
    "wind",
    "turbines",
    "brittany",
    "health",
    "wood",
    "sea",
    "farming",
    "water",
    "building",
    "space",
]
LANGUAGES = ("fr", "en")
REPORT_EVERY = 5000


def fetch(base, path, timeout=60):
    """(status, X-Page-Cache header, body length) of a GET of ``path``."""
    request = urllib.request.Request(base + path, headers={"User-Agent": "crawl-memory/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return response.status, response.headers.get("X-Page-Cache"), len(body)
    except urllib.error.HTTPError as error:
        return error.code, None, 0
    except OSError:
        return 0, None, 0


def discover(base):
    """The facet values, call and event filter values, and cluster slugs the site shows."""
    _status, html = _text(base, "/fr/clusters/")
    facets = collections.defaultdict(set)
    for name, value in re.findall(r'name="(type|level|label|sector|region)" value="([^"]+)"', html):
        facets[name].add(value)
    calls = collections.defaultdict(set)
    for name, value in re.findall(
        r'name="(status|type|kind)" value="([^"]+)"', _text(base, "/fr/calls/")[1]
    ):
        calls[name].add(value)
    events = collections.defaultdict(set)
    for name, value in re.findall(
        r'name="(kind|year|country)" value="([^"]+)"', _text(base, "/fr/events/")[1]
    ):
        events[name].add(value)
    slugs = {"clusters": [], "calls": []}
    for section in slugs:
        xml = _text(base, f"/sitemap-{section}.xml")[1]
        found = re.findall(rf"/fr/{section}/([a-z0-9-]+)/</loc>", xml)
        slugs[section] = sorted(set(found))
    return (
        {k: sorted(v) for k, v in facets.items()},
        {k: sorted(v) for k, v in calls.items()},
        {k: sorted(v) for k, v in events.items()},
        slugs,
    )


def _text(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


class Addresses:
    """An endless supply of addresses, nearly all distinct, as a crawler would find them."""

    def __init__(self, rng, facets, calls, events, slugs):
        self.rng, self.facets, self.calls, self.events, self.slugs = (
            rng,
            facets,
            calls,
            events,
            slugs,
        )

    def word(self):
        if self.rng.random() < 0.5:
            return self.rng.choice(WORDS)
        return "".join(self.rng.choices(string.ascii_lowercase, k=self.rng.randint(3, 9)))

    def pick(self, values, most=2):
        return (
            self.rng.sample(values, self.rng.randint(1, min(most, len(values)))) if values else []
        )

    def junk(self):
        """An unknown parameter, as trackers and scanners add them."""
        name = self.rng.choice(["utm_source", "utm_campaign", "fbclid", "ref", "x", self.word()])
        return [(name, self.word())]

    def query(self, params):
        if self.rng.random() < 0.3:
            self.rng.shuffle(params)
        return urllib.parse.urlencode(params)

    def directory(self, search):
        params = []
        if search:
            params.append(("q", " ".join(self.word() for _ in range(self.rng.randint(1, 3)))))
        for name, values in self.facets.items():
            if self.rng.random() < (0.25 if search else 0.4):
                params += [(name, value) for value in self.pick(values)]
        if self.rng.random() < 0.05:
            params.append(("sector", self.word()))  # an unknown value: the page says so
        roll = self.rng.random()
        if roll < 0.3:
            params.append(("sort", self.rng.choice(["name", "reviewed", "relevance", ""])))
        if self.rng.random() < 0.4:
            params.append(("page", str(self.rng.randint(1, 12))))
        if self.rng.random() < 0.15:
            params += self.junk()
        return f"/{self.rng.choice(LANGUAGES)}/clusters/?{self.query(params)}"

    def cluster(self):
        slug = self.rng.choice(self.slugs["clusters"] or ["inconnu"])
        path = f"/{self.rng.choice(LANGUAGES)}/clusters/{slug}/"
        return path + "?" + self.query(self.junk()) if self.rng.random() < 0.7 else path

    def calls_list(self):
        params = [
            (n, v)
            for n, values in self.calls.items()
            for v in self.pick(values)
            if self.rng.random() < 0.5
        ]
        if self.rng.random() < 0.3:
            params += self.junk()
        return f"/{self.rng.choice(LANGUAGES)}/calls/?{self.query(params)}"

    def events_list(self):
        params = [
            (n, v)
            for n, values in self.events.items()
            for v in self.pick(values)
            if self.rng.random() < 0.5
        ]
        if self.rng.random() < 0.3:
            params += self.junk()
        return f"/{self.rng.choice(LANGUAGES)}/events/?{self.query(params)}"

    def call_page(self):
        slug = self.rng.choice(self.slugs["calls"] or ["inconnu"])
        params = [
            (n, v)
            for n in ("sector", "region")
            for v in self.pick(self.facets.get(n, []))
            if self.rng.random() < 0.5
        ]
        if self.rng.random() < 0.3:
            params.append(("page", str(self.rng.randint(1, 4))))
        return f"/{self.rng.choice(LANGUAGES)}/calls/{slug}/?{self.query(params)}"

    def other(self):
        page = self.rng.choice(["", "figures/", "contacts/", "legal/"])
        return f"/{self.rng.choice(LANGUAGES)}/{page}?{self.query(self.junk())}"

    def next(self):
        roll = self.rng.random()
        if roll < 0.40:
            return self.directory(search=True)
        if roll < 0.60:
            return self.directory(search=False)
        if roll < 0.75:
            return self.cluster()
        if roll < 0.82:
            return self.calls_list()
        if roll < 0.88:
            return self.events_list()
        if roll < 0.94:
            return self.call_page()
        return self.other()


def worker_rss(master_pid):
    """{pid: VmRSS in MB} of the master's child processes (the gunicorn workers)."""
    try:
        with open(f"/proc/{master_pid}/task/{master_pid}/children") as handle:
            children = [int(pid) for pid in handle.read().split()]
    except OSError:  # a kernel without that file: look for the parent of every process
        children = [pid for pid in _pids() if _parent(pid) == master_pid]
    sizes = {}
    for pid in children:
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1]) / 1024
        except OSError:
            continue
    return sizes


def _pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _parent(pid):
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("PPid:"))
    except (OSError, StopIteration):
        return None


def crawl(base, total, threads, master_pid, seed):
    rng = random.Random(seed)
    facets, calls, events, slugs = discover(base)
    addresses = Addresses(rng, facets, calls, events, slugs)
    print(
        f"# {base}: facets {', '.join(f'{k} ({len(v)})' for k, v in facets.items())}; "
        f"{len(slugs['clusters'])} clusters, {len(slugs['calls'])} calls",
        file=sys.stderr,
    )
    lock = threading.Lock()
    sent = [0]
    statuses = collections.Counter()
    hits = [0]
    distinct = set()
    rows = [("before", 0, worker_rss(master_pid) if master_pid else {})]
    started = time.monotonic()

    def next_address():
        with lock:
            if sent[0] >= total:
                return None
            sent[0] += 1
            path = addresses.next()
            distinct.add(path)
            return path

    def run():
        while (path := next_address()) is not None:
            status, cache, _size = fetch(base, path)
            with lock:
                statuses[status] += 1
                hits[0] += cache == "hit"
                done = sum(statuses.values())
                if done % REPORT_EVERY == 0:
                    rows.append((f"{done:,}", time.monotonic() - started, worker_rss(master_pid)))
                    print(
                        f"# {done:,} requests, {time.monotonic() - started:.0f} s", file=sys.stderr
                    )

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(run) for _ in range(threads)]:
            future.result()
    if rows[-1][0] != f"{total:,}":
        rows.append((f"{total:,}", time.monotonic() - started, worker_rss(master_pid)))
    rows.append(("after", time.monotonic() - started, worker_rss(master_pid) if master_pid else {}))
    return rows, statuses, hits[0], len(distinct)


def report(rows, statuses, hits, distinct, total):
    pids = sorted({pid for _label, _t, sizes in rows for pid in sizes})
    lines = [
        "| requests | seconds | " + " | ".join(f"worker {pid} RSS (MB)" for pid in pids) + " |",
        "|---|---|" + "---|" * len(pids),
    ]
    for label, seconds, sizes in rows:
        cells = [f"{sizes[pid]:.0f}" if pid in sizes else "–" for pid in pids]
        lines.append(f"| {label} | {seconds:.0f} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"{total:,} requests to {distinct:,} distinct addresses; "
        f"{hits:,} answered from the page cache; statuses: "
        + ", ".join(f"{code or 'no answer'}: {count:,}" for code, count in sorted(statuses.items()))
    )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the guide's address")
    parser.add_argument("--requests", type=int, default=50000, help="how many requests to send")
    parser.add_argument("--threads", type=int, default=4, help="requests in flight at once")
    parser.add_argument("--master-pid", type=int, help="gunicorn's master process (for RSS)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the addresses")
    args = parser.parse_args(argv)
    if args.master_pid is None:
        print("# no --master-pid: the workers' memory is not reported", file=sys.stderr)
    rows, statuses, hits, distinct = crawl(
        args.url.rstrip("/"), args.requests, args.threads, args.master_pid, args.seed
    )
    print(report(rows, statuses, hits, distinct, args.requests))


if __name__ == "__main__":
    main()
