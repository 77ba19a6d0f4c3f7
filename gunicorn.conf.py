"""gunicorn's settings for ``make serve``, every one from the environment (README: Production).

Worker class: gthread (threads share a worker's memory and its database pool), chosen by
measurement (bench/RESULTS.md, python -m bench.workers): pages wait on the database, so threads overlap that wait.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Every worker writes its metrics here; a scrape of any worker adds them all up (app/operations/metrics.py).
# Set before prometheus_client is first imported, which reads it once.
METRICS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="waymark-metrics-")))

from prometheus_client import multiprocess  # noqa: E402

from logs import configure_logging  # noqa: E402

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
control_socket_disable = True  # gunicorn 27 would otherwise open ~/.gunicorn/gunicorn.ctl
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs each request itself, with its request id (app/operations/request_log.py)


def on_starting(server) -> None:  # noqa: ARG001
    configure_logging(os.environ.get("LOG_FORMAT", "json"), os.environ.get("LOG_LEVEL", "INFO"))
    shutil.rmtree(METRICS_DIR, ignore_errors=True)  # figures of an earlier run would be added in
    METRICS_DIR.mkdir(parents=True)


def child_exit(server, worker) -> None:  # noqa: ARG001
    multiprocess.mark_process_dead(worker.pid)
