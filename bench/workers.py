"""Benchmark: gunicorn's worker classes side by side, on the same database, in the same run.

    python -m bench.workers --database-url URL [--workers 2] [--clients 16] [--seconds 20]

Starts gunicorn (gunicorn.conf.py) on a free loopback port once per worker class, signs in
``--clients`` demo preceptors' sessions (the database needs ``flask demo load``), and has them
ask for the caseload, the sign-off queue and /readyz in a closed loop, no pauses. Prints
requests per second, p50 and p95 for each class. For choosing the class, not a load test.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/preceptor/", "/preceptor/signoffs", "/readyz")
CLASSES = (("sync", 1), ("gthread", 4))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _signed_in(base: str, email: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    form = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    opener.open(f"{base}/login", urllib.parse.urlencode(form).encode(), timeout=30).read()
    if not opener.open(f"{base}{PAGES[0]}", timeout=30).geturl().endswith(PAGES[0]):
        raise SystemExit(f"could not sign in as {email}: is the demo loaded in this database?")
    return opener


def _run(base: str, clients: int, seconds: float, password: str) -> tuple[int, int, list[float]]:
    openers = [_signed_in(base, "preceptor@northgate.example", password) for _ in range(clients)]
    times: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds

    def loop(opener: urllib.request.OpenerDirector) -> None:
        n = 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                opener.open(base + PAGES[n % len(PAGES)], timeout=30).read()
                times.append(time.perf_counter() - started)
            except (urllib.error.URLError, OSError):
                errors[0] += 1
            n += 1

    threads = [threading.Thread(target=loop, args=(o,)) for o in openers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times), errors[0], times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    password = (ROOT / "instance" / "demo-password").read_text().strip()
    for worker_class, threads in CLASSES:
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": args.database_url,
            "PORT": str(port),
            "WEB_CONCURRENCY": str(args.workers),
            "GUNICORN_WORKER_CLASS": worker_class,
            "GUNICORN_THREADS": str(threads),
            "LOG_LEVEL": "WARNING",
            "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
            "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.5)
            done, errors, times = _run(base, args.clients, args.seconds, password)
        finally:
            server.terminate()
            server.wait(30)
        p50, p95 = (statistics.quantiles(times, n=100)[k] * 1000 for k in (49, 94)) if len(times) > 1 else (0, 0)
        print(
            f"{worker_class} ({args.workers} workers x {threads} threads): {done / args.seconds:.1f} req/s, "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, {errors} errors, {args.clients} clients for {args.seconds:.0f} s"
        )


if __name__ == "__main__":
    main()
