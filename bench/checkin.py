"""Check-in throughput against the framework's own ceiling (GET /api/v1/ping).

    python bench/checkin.py [--scale small] [--workers N] [--clients 32] [--seconds 10]

Seeds (or reuses) a synthetic city on PostgreSQL (database fugong_health_bench unless
FUGONG_DATABASE_URL is set), starts ``fugong serve`` with the production settings
(FUGONG_DEBUG=0), and from a separate load-generating process (aiohttp) drives GET /api/v1/ping,
POST /api/v1/checkins and POST /api/v1/checkins/batch with many concurrent clients. Prints
throughput, p50 and p99 of each, the ratio check-ins/s ÷ ping/s, and, as the last line, one JSON
object. Targets: ratio ≥ 0.5 with p99 ≤ 250 ms; batch ≥ 20,000 check-ins/s. Where /proc exists it
also prints where the machine's CPU went while each load was measured (the server's processes,
PostgreSQL's when it runs on this machine, the load generator), in cores and per request or
check-in (the batch figures are also in the JSON line): with every core busy, that is what a
higher throughput has to take away; and the batch rate that CPU allows at best on these cores.

The load is a morning's: the admin of the city's largest enterprise submits for its staff, each
person in turn (nobody checks in again before everybody has), so every check-in reads the
person's real history. The synthetic small city has no employer large enough for that, so the
largest enterprise first takes on people of the city until it employs --staff (a second job for
them; only in the benchmark's own database). Check-ins stored by an earlier run are removed first,
so that runs compare. Batch bodies are encoded before the clock starts (the load generator shares
the server's cores).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/fugong_health_bench"


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("FUGONG_DATABASE_URL", DEFAULT_DB)
    env["FUGONG_HOME"] = str(home)
    env["FUGONG_DEBUG"] = "0"
    key_file = home / "bench-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    env.setdefault("FUGONG_SECRET_KEY", key_file.read_text().strip())
    env["FUGONG_TASKS"] = "db"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def fugong(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "fugong.cli", *args], env=env, cwd=ROOT, check=True, **kwargs)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


PREPARE = r"""
import json, os, sys
import django
django.setup()
from django.db import connection
from django.db.models import Count
from fugong.accounts.actions import do_create_api_token
from fugong.accounts.models import Membership, Role, User
from fugong.orgs.models import Enterprise
from fugong.people.models import Employment, Person
staff = int(os.environ["BENCH_STAFF"])
enterprise = (Enterprise.objects.filter(employments__active=True)
              .annotate(n=Count("employments")).order_by("-n").first())
user, _ = User.objects.get_or_create(username="bench-admin")
Membership.objects.get_or_create(user=user, role=Role.ENTERPRISE_ADMIN, enterprise=enterprise)
# Check-ins stored by earlier runs of this benchmark go, so that every run starts alike.
with connection.cursor() as cursor:
    cursor.execute(
        "DELETE FROM health_qualityflag WHERE checkin_id IN "
        "(SELECT id FROM health_checkin WHERE submitted_by_id = %s)", [user.pk])
    cursor.execute("DELETE FROM health_checkin WHERE submitted_by_id = %s", [user.pk])
    removed = cursor.rowcount
    if removed:  # and their dead rows, not left for autovacuum to clean during the run
        cursor.execute("VACUUM ANALYZE health_checkin")
# A large employer: the synthetic city's largest enterprise takes on people of the city until
# it employs `staff` (a second job for them), so that a morning's batches name distinct people.
have = set(Employment.objects.filter(enterprise=enterprise, active=True)
           .values_list("person_id", flat=True))
if len(have) < staff:
    extra = (Person.objects.exclude(pk__in=have).order_by("pk")
             .values_list("pk", flat=True)[: staff - len(have)])
    Employment.objects.bulk_create(
        [Employment(person_id=pk, enterprise=enterprise, post="bench") for pk in extra],
        batch_size=2000)
    with connection.cursor() as cursor:  # as autovacuum would, after a bulk load
        cursor.execute("ANALYZE people_employment")
token = do_create_api_token(user, label="bench", actor=None)
numbers = [e.person.id_number for e in
           Employment.objects.filter(enterprise=enterprise, active=True).select_related("person")]
json.dump({"token": token, "numbers": numbers, "enterprise": enterprise.name,
           "removed": removed}, sys.stdout)
"""


def prepare(env: dict[str, str], scale: str, staff: int) -> dict:
    import psycopg

    ensure_database(env["FUGONG_DATABASE_URL"])
    fugong(env, "migrate", "-v0")
    with psycopg.connect(env["FUGONG_DATABASE_URL"]) as conn:
        people = conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
    seeded_in = None
    if people == 0:
        started = time.monotonic()
        fugong(env, "seed", "--scale", scale, "--quiet")
        seeded_in = time.monotonic() - started
        with psycopg.connect(env["FUGONG_DATABASE_URL"]) as conn:
            people = conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
    out = subprocess.run(
        [PY, "-c", PREPARE],
        env={**env, "DJANGO_SETTINGS_MODULE": "fugong.settings", "BENCH_STAFF": str(staff)},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(out.stdout)
    data["people"] = people
    data["seeded_in"] = seeded_in
    return data


# ------------------------------------------------------------------------ load generator
class People:
    """The roster in a random order, handed out in turn: a person checks in again only after
    everybody else has (a morning's load, not the same few people over and over)."""

    def __init__(self, numbers: list[str]) -> None:
        self.numbers = random.sample(numbers, len(numbers))
        self.next = 0

    def take(self) -> str:
        number = self.numbers[self.next % len(self.numbers)]
        self.next += 1
        return number


def checkin_body(people: People, today: str) -> dict:
    return {
        "id_number": people.take(),
        "date": today,
        "temperature": round(random.uniform(36.0, 37.2), 1),
        "symptoms": [],
        "location": "440604",
        "close_contact": False,
        "work_mode": "onsite",
        "client_id": str(uuid.uuid4()),
    }


async def drive(
    base: str,
    token: str,
    kind: str,
    clients: int,
    seconds: float,
    numbers: list[str],
    today: str,
    batch: int,
    server_session: int,
) -> dict:
    import aiohttp

    headers = {"Authorization": f"Bearer {token}"}
    json_headers = {**headers, "Content-Type": "application/json"}
    people = People(numbers)
    # Batch bodies are encoded before the clock starts, so that the load generator takes as
    # little as it can of the cores it shares with the server (more are made if these run out).
    ready: list[bytes] = []
    if kind == "batch":
        ready = [
            json.dumps({"items": [checkin_body(people, today) for _ in range(batch)]}).encode()
            for _ in range(int((seconds + 2) * 30))
        ]
    latencies: list[float] = []
    errors = 0
    items = 0
    stop_at = 0.0
    measuring = False

    async def one(session: aiohttp.ClientSession) -> None:
        nonlocal errors, items
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            if kind == "ping":
                async with session.get(base + "/api/v1/ping", headers=headers) as r:
                    await r.read()
                    ok, n = r.status == 200, 1
            elif kind == "checkin":
                body = checkin_body(people, today)
                async with session.post(base + "/api/v1/checkins", json=body, headers=headers) as r:
                    await r.read()
                    ok, n = r.status == 201, 1
            else:
                encoded = (
                    ready.pop()
                    if ready
                    else json.dumps(
                        {"items": [checkin_body(people, today) for _ in range(batch)]}
                    ).encode()
                )
                async with session.post(
                    base + "/api/v1/checkins/batch", data=encoded, headers=json_headers
                ) as r:
                    data = await r.json()
                    ok = r.status == 200 and all(x["status"] == 201 for x in data["results"])
                    n = batch
            if measuring:
                latencies.append(time.perf_counter() - start)
                if ok:
                    items += n
                else:
                    errors += 1

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        stop_at = time.monotonic() + 2.0  # warm-up, not measured
        await asyncio.gather(*(one(session) for _ in range(clients)))
        measuring = True
        cpu_before = cpu_seconds(server_session)
        started = time.monotonic()
        stop_at = started + seconds
        await asyncio.gather(*(one(session) for _ in range(clients)))
        elapsed = time.monotonic() - started
        cpu_after = cpu_seconds(server_session)
    # Where the machine's time went while measuring, in cores (CPU seconds per second).
    cores = (
        {k: round((cpu_after[k] - cpu_before[k]) / elapsed, 3) for k in cpu_before}
        if cpu_before and cpu_after
        else {}
    )
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
            if latencies
            else float("nan")
        )

    return {
        "kind": kind,
        "requests": len(latencies),
        "errors": errors,
        "per_s": items / elapsed,
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "items": items,
        "elapsed": elapsed,
        "latencies_ms": [round(x * 1000, 3) for x in latencies],
        "cores": cores,
    }


def merge(rounds: list[dict]) -> dict:
    """One figure from several rounds of the same load: throughput over their whole time,
    percentiles over all their requests."""
    latencies = sorted(x for r in rounds for x in r["latencies_ms"])

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {
        "kind": rounds[0]["kind"],
        "requests": len(latencies),
        "errors": sum(r["errors"] for r in rounds),
        "per_s": sum(r["items"] for r in rounds) / sum(r["elapsed"] for r in rounds),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "rounds": [round(r["per_s"], 1) for r in rounds],
        "cores": {  # averaged over the rounds' time
            k: sum(r["cores"][k] * r["elapsed"] for r in rounds) / sum(r["elapsed"] for r in rounds)
            for k in rounds[0]["cores"]
        }
        if all(r["cores"] for r in rounds)
        else {},
    }


def load_main(args: argparse.Namespace) -> None:
    spec = json.loads(Path(args.spec).read_text())
    result = asyncio.run(
        drive(
            spec["base"],
            spec["token"],
            args.load,
            args.clients,
            args.seconds,
            spec["numbers"],
            spec["today"],
            args.batch,
            spec["server_session"],
        )
    )
    print(json.dumps(result))


def cpu_seconds(server_session: int) -> dict[str, float] | None:
    """CPU seconds used so far by the server (its gunicorn processes), by PostgreSQL (when it
    runs on this machine) and by this process (the load generator), read from /proc; None where
    there is no /proc. Only the difference of two readings means anything. A process that ends
    in between (a PostgreSQL backend or autovacuum worker, a gunicorn worker replaced) keeps
    counting: its time moves to its parent's children's time (cutime, cstime) when reaped, and
    that is counted too."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    used = {"server": 0.0, "postgres": 0.0, "load": time.process_time()}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, _, rest = (entry / "stat").read_text().rpartition(")")
        except OSError:  # ended meanwhile
            continue
        fields = rest.split()  # fields[0] is field 3 of proc(5), the state
        # utime + stime + cutime + cstime: its own time and that of its children that ended
        seconds = sum(int(x) for x in fields[11:15]) / tick
        if int(fields[3]) == server_session:  # the session fugong serve was started in
            used["server"] += seconds
        elif head.endswith("(postgres"):
            used["postgres"] += seconds
    return used


def run_load(kind: str, spec_path: Path, clients: int, seconds: float, batch: int) -> dict:
    out = subprocess.run(
        [
            PY,
            __file__,
            "--load",
            kind,
            "--spec",
            str(spec_path),
            "--clients",
            str(clients),
            "--seconds",
            str(seconds),
            "--batch",
            str(batch),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="small", choices=["tiny", "small", "city"])
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers (default: what `fugong serve` runs in production, 2 × CPUs + 1)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker (default 1: sync workers, `fugong serve` with FUGONG_THREADS=1, "
        "as behind a buffering proxy; serve's own default is 4)",
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--batch-clients", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2, help="alternations of ping and check-in")
    parser.add_argument(
        "--staff",
        type=int,
        default=30_000,
        help="people employed by the enterprise whose admin submits (see PREPARE)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--home", default="/tmp/health-bench-home")
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load_main(args)
        return
    home = Path(args.home)
    home.mkdir(parents=True, exist_ok=True)
    env = env_for(home)
    print(f"database: {env['FUGONG_DATABASE_URL']}  home: {home}")
    data = prepare(env, args.scale, args.staff)
    if data["seeded_in"] is not None:
        print(f"seeded the {args.scale} city in {data['seeded_in']:.0f}s")
    else:
        print("reusing the city already in the database")
    if args.scale != "city":
        print(
            f"NOTE: a smaller city than 'city' was used ({args.scale}, {data['people']:,} "
            "people): seeding 1,000,000 people and their history takes too long here."
        )
    print(f"enterprise: {data['enterprise']} with {len(data['numbers']):,} people on the roster")
    log = open(home / "serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "fugong.cli",
            "serve",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--no-worker",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    spec_path = home / "bench-spec.json"
    try:
        import urllib.request

        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    base + "/api/v1/ping", headers={"Authorization": f"Bearer {data['token']}"}
                )
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError as exc:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(
                        "the server did not start; see " + str(home / "serve.log")
                    ) from exc
                time.sleep(0.5)
        from datetime import datetime
        from zoneinfo import ZoneInfo

        spec_path.write_text(
            json.dumps(
                {
                    "base": base,
                    "token": data["token"],
                    "numbers": data["numbers"],
                    "today": datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat(),
                    "server_session": server.pid,  # started in a session of its own
                }
            )
        )
        print(
            f"server: {args.workers} gunicorn workers × {args.threads} threads; load: "
            f"{args.clients} concurrent clients for {args.seconds:.0f}s per endpoint "
            f"(ping and check-in alternating in {args.rounds} rounds)"
        )
        # Ping and check-in alternate, so that a change in the machine's speed during the run
        # (it is shared) weighs on both alike; each gets args.seconds in all.
        rounds: dict[str, list[dict]] = {"ping": [], "checkin": []}
        for _ in range(args.rounds):
            for kind in rounds:
                rounds[kind].append(
                    run_load(kind, spec_path, args.clients, args.seconds / args.rounds, args.batch)
                )
        ping, single = merge(rounds["ping"]), merge(rounds["checkin"])
        batch = merge([run_load("batch", spec_path, args.batch_clients, args.seconds, args.batch)])
    finally:
        spec_path.unlink(missing_ok=True)  # holds synthetic ID numbers
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    for r in (ping, single, batch):
        unit = "check-ins/s" if r["kind"] == "batch" else "req/s"
        print(
            f"{r['kind']:>8}: {r['per_s']:9.0f} {unit:<12} p50 {r['p50_ms']:7.1f} ms  "
            f"p99 {r['p99_ms']:7.1f} ms  ({r['requests']} requests, {r['errors']} errors; "
            f"rounds: {', '.join(f'{x:.0f}' for x in r['rounds'])})"
        )
    # Where the machine's time went while measuring: CPU in cores, and per request (ping,
    # check-in) or per check-in (batch), by the server, PostgreSQL and the load generator.
    cpu_us: dict[str, dict[str, float]] = {}
    for r in (ping, single, batch):
        if r["cores"] and r["per_s"]:
            cpu_us[r["kind"]] = {k: round(v / r["per_s"] * 1e6, 1) for k, v in r["cores"].items()}
            print(
                f"{r['kind']:>8}: CPU in cores of {os.cpu_count()}: "
                + ", ".join(f"{k} {v:.2f}" for k, v in r["cores"].items())
                + "; per item: "
                + ", ".join(f"{k} {v:.0f} µs" for k, v in cpu_us[r["kind"]].items())
            )
    # What the CPU a batch check-in takes allows on this machine's cores, at best (all of them
    # busy with nothing else), and what 20,000/s would allow per check-in: a measured rate near
    # the ceiling is CPU-bound, not waiting on anything.
    ceiling = None
    if cpu_us.get("batch"):
        cores = os.cpu_count() or 1
        per_checkin = sum(cpu_us["batch"].values())
        ceiling = cores / per_checkin * 1e6
        print(
            f"   batch: {per_checkin:.0f} µs of CPU a check-in on {cores} cores allows at "
            f"most {ceiling:,.0f} check-ins/s (measured: {batch['per_s'] / ceiling:.0%} of that); "
            f"20,000/s allows {cores / 20_000 * 1e6:.0f} µs"
        )
    ratio = single["per_s"] / ping["per_s"] if ping["per_s"] else 0.0
    print(f"ratio check-ins/s ÷ ping/s = {ratio:.3f}")
    ok_ratio = ratio >= 0.5 and single["p99_ms"] <= 250
    ok_batch = batch["per_s"] >= 20_000
    print(f"target ratio ≥ 0.5 with p99 ≤ 250 ms: {'met' if ok_ratio else 'MISSED'}")
    print(f"target batch ≥ 20,000 check-ins/s: {'met' if ok_batch else 'MISSED'}")
    print(
        json.dumps(
            {
                "checkin_per_s": round(single["per_s"], 1),
                "checkin_p50_ms": round(single["p50_ms"], 1),
                "checkin_p99_ms": round(single["p99_ms"], 1),
                "ping_per_s": round(ping["per_s"], 1),
                "ratio": round(ratio, 3),
                "batch_items_per_s": round(batch["per_s"], 1),
                "batch_p99_ms": round(batch["p99_ms"], 1),
                **{f"batch_{k}_cpu_us": v for k, v in cpu_us.get("batch", {}).items()},
                "batch_cpu_ceiling_per_s": round(ceiling, 1) if ceiling else None,
                "scale": args.scale,
                "people": data["people"],
                "errors": ping["errors"] + single["errors"] + batch["errors"],
            }
        )
    )


if __name__ == "__main__":
    main()
