"""Load the guide under gunicorn with wrk and write bench/results/latest.{md,json}.

Run through bench/run, which prepares the database first.
"""

import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))


# Searches that differ at nearly every request (a theme and a city: 902 of them),
# so that few find their matches already read (facets.search_results()).
THEMES = [
    "agroalimentaire",
    "materiaux",
    "numerique",
    "sante",
    "energie",
    "batiment",
    "mobilite",
    "mer",
    "textile",
    "chimie",
    "circulaire",
    "creatives",
    "agrifood",
    "materials",
    "digital",
    "health",
    "energy",
    "building",
    "mobility",
    "sea",
    "textiles",
    "chemistry",
    "circular",
    "creative",
    "aero",
    "agri",
    "bio",
    "ceramique",
    "cosmetique",
    "eco",
    "hydro",
    "lumiere",
    "mecanique",
    "medical",
    "nautisme",
    "nano",
    "optique",
    "plasturgie",
    "robotique",
    "vehicule",
    "bois",
]
CITIES = [
    "lyon",
    "nantes",
    "rennes",
    "toulouse",
    "bordeaux",
    "lille",
    "marseille",
    "grenoble",
    "dijon",
    "brest",
    "caen",
    "limoges",
    "nancy",
    "pau",
    "saint-pierre",
    "saint-denis",
    "besancon",
    "clermont-ferrand",
    "orleans",
    "amiens",
    "perpignan",
    "angers",
]


def endpoints(slugs):
    search = "/fr/clusters/?q=numerique&sector=economie-numerique&region=bretagne"
    various = [f"/fr/clusters/?q={theme}+{city}" for theme in THEMES for city in CITIES]
    return [
        ("baseline /healthz", ["/healthz"]),
        ("home", ["/fr/"]),
        ("directory", ["/fr/clusters/"]),
        ("directory, 2 facets", ["/fr/clusters/?sector=economie-numerique&region=bretagne"]),
        ("directory, search", ["/fr/clusters/?q=energie"]),
        ("directory, search + 2 facets, page 5", [search + "&page=5"]),
        ("directory, a different search each time", various),
        ("cluster page (random)", [f"/fr/clusters/{slug}/" for slug in slugs]),
        ("calls", ["/fr/calls/"]),
        ("CSV export, 2 facets", ["/fr/clusters/export.csv?sector=services&region=bretagne"]),
        ("API clusters", ["/api/v1/clusters/"]),
        ("API clusters, 2 facets", ["/api/v1/clusters/?sector=economie-numerique&region=bretagne"]),
        ("API clusters, search", ["/api/v1/clusters/?q=energie"]),
        ("API clusters, 200 a page", ["/api/v1/clusters/?page_size=200"]),
        ("API cluster (random)", [f"/api/v1/clusters/{slug}/" for slug in slugs]),
        ("API calls", ["/api/v1/calls/"]),
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(cache_on, static_root):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static_root,
        "PAGE_CACHE_SECONDS": "600" if cache_on else "0",
        "BENCH_QUERY_COUNT": "true",
        "API_RATE": "100000000/min",  # wrk is one address: the limit would measure itself
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "clusters_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def queries_per_request(base, path):
    with urllib.request.urlopen(base + path, timeout=60) as response:
        response.read()
        return int(response.headers.get("X-SQL-Queries", "-1"))


class MemoryWatch(threading.Thread):
    """Peak resident memory of each gunicorn worker while the load runs."""

    def __init__(self, master_pid):
        super().__init__(daemon=True)
        self.master = psutil.Process(master_pid)
        self.peak = {}
        self.running = True

    def run(self):
        while self.running:
            for child in self.master.children():
                try:
                    rss = child.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
                self.peak[child.pid] = max(self.peak.get(child.pid, 0), rss)
            time.sleep(0.2)


def wrk(base, paths, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    threads = min(connections, 2)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{DURATION}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "report.lua"),
            base,
        ],
        env={**os.environ, "BENCH_PATHS": handle.name},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(handle.name)
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    data["rps"] = round(data["requests"] / data["seconds"], 1)
    return data


def collect_static() -> str:
    """The static files, collected into a new temporary folder (its path)."""
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "STATIC_ROOT": static_root},
        check=True,
    )
    return static_root


def cluster_slugs():
    """500 random published clusters' slugs."""
    script = (
        "from directory.models import Cluster; "
        "print('\\n'.join(Cluster.objects.published().order_by('?')"
        ".values_list('slug', flat=True)[:500]))"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if line and " " not in line]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    static_root = collect_static()
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "clusters": count,
        "duration_s": DURATION,
        "workers": WORKERS,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "runs": {},
    }
    slugs = cluster_slugs()
    for cache_on in (False, True):
        mode = "cache on" if cache_on else "cache off"
        process, base = start_server(cache_on, static_root)
        watch = MemoryWatch(process.pid)
        watch.start()
        rows = []
        try:
            for name, paths in endpoints(slugs):
                # Warm every worker; cache on, fill each worker's cache with
                # every address the run asks for (as a site's traffic would).
                # Concurrent requests, so that every worker gets some (a worker's
                # first page builds its facet index: a second at 100,000 clusters).
                urls = paths[:500] if cache_on else paths[:1]
                warm = [url for url in urls for _ in range(WORKERS * 2)]
                with ThreadPoolExecutor(WORKERS * 2) as pool:
                    list(pool.map(queries_per_request, [base] * len(warm), warm))
                queries = queries_per_request(base, paths[-1])
                single = wrk(base, paths, 1)
                eight = wrk(base, paths, 8)
                rows.append(
                    {
                        "endpoint": name,
                        "path": paths[0],
                        "queries": queries,
                        "one_client": single,
                        "eight_clients": eight,
                    }
                )
                print(
                    f"{mode:9} {name:38} q={queries:<3} 1c p95={single['p95_ms']:7.1f} ms"
                    f"  8c {eight['rps']:7.1f} rps p99={eight['p99_ms']:7.1f} ms"
                    f" errors={single['errors'] + eight['errors']}",
                    flush=True,
                )
        finally:
            watch.running = False
            process.terminate()
            process.wait(timeout=30)
        baseline = rows[0]["eight_clients"]["rps"]
        for row in rows:
            row["ratio_to_baseline"] = round(row["eight_clients"]["rps"] / baseline, 5)
        results["runs"][mode] = {
            "endpoints": rows,
            "worker_peak_mb": sorted(round(v / 2**20, 1) for v in watch.peak.values()),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1) + "\n")
    (RESULTS / "latest.md").write_text(markdown(results))
    print(markdown(results))


HEADER = (
    "| endpoint | SQL queries | 1 client p50 | p95 | p99 "
    "| 8 clients req/s | p50 | p95 | p99 | errors | ratio |"
)


def markdown(results):
    lines = [
        f"# Benchmark: {results['clusters']:,} clusters".replace(",", " "),
        "",
        f"{results['date']}; {results['cpus']} CPU cores; gunicorn with {results['workers']} "
        f"sync workers; wrk, {results['duration_s']} s per run; production settings.",
        "Latency in ms; throughput with 8 clients; "
        "ratio = throughput / the baseline's in the same run.",
        "",
    ]
    for mode, run in results["runs"].items():
        lines += [f"## {mode.capitalize()}", "", HEADER, "|---" * 11 + "|"]
        for row in run["endpoints"]:
            one, eight = row["one_client"], row["eight_clients"]
            cells = [
                row["endpoint"],
                row["queries"],
                f"{one['p50_ms']:.1f}",
                f"{one['p95_ms']:.1f}",
                f"{one['p99_ms']:.1f}",
                f"{eight['rps']:.0f}",
                f"{eight['p50_ms']:.1f}",
                f"{eight['p95_ms']:.1f}",
                f"{eight['p99_ms']:.1f}",
                one["errors"] + eight["errors"],
                f"{row['ratio_to_baseline']:.2%}",
            ]
            lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
        peaks = ", ".join(f"{m} MB" for m in run["worker_peak_mb"])
        lines += ["", f"Peak memory per worker: {peaks}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
