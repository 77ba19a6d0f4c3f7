"""Load test: simulated learners, preceptors and leads against gunicorn on loopback, with locust.

    python -m bench.load --database-url URL [--people 50,200] [--seconds 180] [--closed-users 20]
                         [--closed-seconds 60] [--spawn-rate 10] [--requests-per-preceptor 12]

On a database filled by ``bench.generate`` (trust scale: ``--enrolments 2500``; generated here when
empty), starts Waymark (``wsgi:app``, with one job worker, ``flask jobs work``, as ``make serve`` does)
and a bare Flask hello (``bench.hello:app``), both under gunicorn.conf.py on free loopback ports, and
runs locust headless and bounded (``-t``), in turn:

- for each ``--people`` count, people pausing 5–15 s between actions (the realistic mix of
  ``bench/locustfile.py``: learners 6, preceptors 3, leads 1);
- the closed loop: ``--closed-users`` people with no pauses (the throughput ceiling);
- the hello, closed loop, with as many users: the ratio's yardstick, in the same run.

Before it starts, learners of the chosen preceptors ask for sign-offs (through ``signoffs.act``) so the
preceptors' queues hold something to sign. Statistics are reset once every person has signed in; what was
asked until then is shown apart, as the run "signing in". Prints one table: requests, req/s, p50/p95/p99 and
errors per endpoint, and the machine's 1-minute load average (sampled every 5 s) while each run went on; then
each failure (a refused form with its error summary), the GETs sent again after a reset of a kept-alive
connection, and how often gunicorn restarted or timed out a Waymark worker (from its log, kept while it
serves). """

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import load_accounts

ROOT = Path(__file__).resolve().parent.parent
PEOPLE_CLASSES = ("Learner", "Preceptor", "Lead")
SERVER_EVENTS = ("WORKER TIMEOUT", "Autorestarting worker", "Booting worker")
MIX = ("learner home", "log hours (form)", "log hours (save)", "caseload", "sign-off queue", "sign off",
       "cohort", "report page", "report download", "report download (progress)", "report download (file)")  # fmt: skip


@dataclass(frozen=True)
class Row:
    name: str
    requests: int
    failures: int
    per_second: float
    p50: float
    p95: float
    p99: float


@dataclass(frozen=True)
class Run:
    label: str
    rows: list[Row]
    load: tuple[float, float]  # lowest and highest 1-minute load average while it ran
    failures: list[str]  # locust's failures: how many, which request, what went wrong
    retried: dict[str, int]  # requests sent again, by method, after a reset on a kept-alive connection
    ramp: list[Row]  # what was asked while the people were signing in, before the statistics were reset

    def row(self, name: str) -> Row | None:
        return next((r for r in self.rows if r.name == name), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(target: str, database_url: str, workers: int | None, log: Path | None = None,
           settings: dict[str, str] | None = None) -> Iterator[str]:  # fmt: skip
    """gunicorn with gunicorn.conf.py serving ``target`` on a free loopback port; its base URL. Waymark
    (``wsgi:app``) comes with a job worker, as under ``make serve``: it prepares the downloads and works out
    stale report pages again.

    ``log``: where gunicorn's own lines (workers booted, timed out, exited) and the app's warnings go.
    ``settings``: more of the app's environment (the tests' smaller thresholds)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "LOGIN_LIMIT_PER_ACCOUNT": "1000000 per minute",  # many simulated people share an account
        "LOGIN_LIMIT_PER_ADDRESS": "1000000 per minute",  # and every one comes from 127.0.0.1
        **(settings or {}),
    }
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", target]
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=output)
    jobs = (subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "work"], cwd=ROOT, env=env,
                             stderr=output) if target == "wsgi:app" else None)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn serving {target} exited ({server.returncode})") from None
                time.sleep(0.25)
        yield base
    finally:
        for process in (server, jobs):
            if process is not None:
                process.terminate()
                process.wait(60)
        if log:
            output.close()


@contextmanager
def load_average() -> Iterator[list[float]]:
    """The machine's 1-minute load average, sampled every 5 s while inside."""
    samples = [os.getloadavg()[0]]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(5):
            samples.append(os.getloadavg()[0])

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        stop.set()
        thread.join()
        samples.append(os.getloadavg()[0])


def locust(base: str, classes: tuple[str, ...], users: int, seconds: int, pause: str, accounts: Path,
           spawn_rate: float, label: str, each: int | None = None) -> Run:  # fmt: skip
    """One bounded headless locust run; its per-endpoint figures from locust's CSV. ``each``: exactly
    that many people of every role (``users`` should then be their sum)."""
    with tempfile.TemporaryDirectory() as tmp, load_average() as samples:
        prefix = Path(tmp) / "run"
        command = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "--host", base, "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--stop-timeout", "30",
            "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", *classes,
        ]  # fmt: skip
        retries, ramp = Path(tmp) / "retries.json", Path(tmp) / "ramp.json"
        env = {**os.environ, "LOAD_ACCOUNTS": str(accounts), "LOAD_PAUSE": pause, "LOAD_EACH": str(each or ""),
               "LOAD_RETRIES": str(retries), "LOAD_RAMP": str(ramp)}  # fmt: skip
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 300)
        if not Path(f"{prefix}_stats.csv").exists():
            raise SystemExit(f"locust wrote no figures ({done.returncode}):\n{done.stderr[-3000:]}")
        with open(f"{prefix}_stats.csv", newline="") as f:
            rows = [
                Row(r["Name"], int(r["Request Count"]), int(r["Failure Count"]), float(r["Requests/s"]),
                    float(r["50%"] or 0), float(r["95%"] or 0), float(r["99%"] or 0))
                for r in csv.DictReader(f) if int(r["Request Count"])  # asked only while signing in: shown there
            ]  # fmt: skip
        with open(f"{prefix}_failures.csv", newline="") as f:
            failures = [f"{r['Occurrences']} × {r['Name']}: {r['Error']}" for r in csv.DictReader(f)]
        retried = json.loads(retries.read_text()) if retries.exists() else {}
        ramped = [Row(**entry) for entry in json.loads(ramp.read_text())] if ramp.exists() else []
    return Run(label, rows, (min(samples), max(samples)), failures, retried, ramped)


@contextmanager
def accounts_file(accounts: dict) -> Iterator[Path]:
    """The accounts as the JSON file locustfile.py reads (``LOAD_ACCOUNTS``)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(accounts, file)
        file.flush()
        yield Path(file.name)


def table(runs: list[Run]) -> str:
    lines = [
        "| run | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | load average |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in runs:
        load = f"{run.load[0]:.1f}–{run.load[1]:.1f}"
        for label, rows in ((f"{run.label}, signing in", run.ramp), (run.label, run.rows)):
            lines.extend(_lines(label, rows, load))
    return "\n".join(lines)


def _lines(label: str, rows: list[Row], load: str) -> list[str]:
    return [
        f"| {label} | {r.name} | {r.requests:,} | {r.per_second:.1f} | {r.p50:.0f} | {r.p95:.0f} "
        f"| {r.p99:.0f} | {r.failures} | {load} |"
        for r in rows
    ]


def ratio(closed: Run, hello: Run) -> str:
    pages, bare = closed.row("Aggregated"), hello.row("Aggregated")
    if not pages or not bare or not pages.per_second:
        return "no ratio: a run served nothing"
    return (
        f"closed-loop ceiling {pages.per_second:.1f} req/s; bare Flask hello {bare.per_second:.1f} req/s "
        f"under the same gunicorn settings: {bare.per_second / pages.per_second:.1f}× the pages' rate"
    )


def server_events(log: Path) -> str:
    """What gunicorn said of its workers while serving Waymark: restarts (``max_requests``) and timeouts."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    said = {what: sum(what in line for line in lines) for what in SERVER_EVENTS}
    return "gunicorn serving Waymark: " + ", ".join(f"{n} × {what!r}" for what, n in said.items())


def run(database_url: str, people: list[int], seconds: int, closed_users: int, closed_seconds: int,
        spawn_rate: float, per_preceptor: int, workers: int | None = None,
        log: Path | None = None) -> list[Run]:  # fmt: skip
    accounts = load_accounts.prepare(database_url, max(people + [closed_users]), per_preceptor)
    runs = []
    with accounts_file(accounts) as path:
        with served("wsgi:app", database_url, workers, log) as base:
            for n in people:
                runs.append(locust(base, PEOPLE_CLASSES, n, seconds, "5,15", path, spawn_rate, f"{n} people"))
            runs.append(locust(base, PEOPLE_CLASSES, closed_users, closed_seconds, "0", path, spawn_rate,
                               f"closed loop, {closed_users}"))  # fmt: skip
        with served("bench.hello:app", database_url, workers) as base:
            runs.append(locust(base, ("Hello",), closed_users, closed_seconds, "0", path, spawn_rate,
                               f"hello, {closed_users}"))  # fmt: skip
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="trust-scale bench data (generated when empty)")
    parser.add_argument("--people", default="50,200", help="comma-separated counts of people with pauses")
    parser.add_argument("--seconds", type=int, default=180, help="length of each run with pauses")
    parser.add_argument("--closed-users", type=int, default=20)
    parser.add_argument("--closed-seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10, help="people starting per second")
    parser.add_argument("--requests-per-preceptor", type=int, default=12, help="sign-off requests made first")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default gunicorn.conf.py's)")
    args = parser.parse_args()
    people = [int(n) for n in args.people.split(",") if n]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gunicorn.log"
        runs = run(args.database_url, people, args.seconds, args.closed_users, args.closed_seconds, args.spawn_rate,
                   args.requests_per_preceptor, args.workers, log)  # fmt: skip
        said = server_events(log)
    print(f"started {started}; {os.cpu_count()} CPUs")
    print(table(runs))
    print(ratio(runs[-2], runs[-1]))
    for run_ in runs:
        for failure in run_.failures:
            print(f"{run_.label}: {failure}")
        for method, n in run_.retried.items():
            print(f"{run_.label}: {n} × {method} sent again after a reset of a kept-alive connection, as browsers do")
    print(said)


if __name__ == "__main__":
    main()
