"""The job worker process (``flask jobs work``): claims jobs one at a time and runs them, until stopped.

Run as many as there are cores to spare, on any machine that reaches the database; each job runs
once at a time wherever it is claimed. Ctrl+C or SIGTERM gives the job in hand back to the queue
(its transaction rolls back, so nothing of it is kept) for the next worker to run from the start.
Between jobs it works out again one report page a visitor found stale (``report_page.rebuild_wanted``):
that CPU, in a web worker, would hold up the pages its other threads serve.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from types import FrameType

from flask import Flask

from app.extensions import db
from app.services import jobs, report_page
from app.services.job_work import execute
from app.services.jobs import LeaseLost

log = logging.getLogger("waymark.jobs")
FORGET_EVERY = 3600.0  # seconds between two sweeps of old jobs' files


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _stop(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
    raise SystemExit(0)


def work(app: Flask, *, once: bool = False) -> int:
    """Run jobs as they come; with ``once``, run those (and the pages wanted) waiting and return. Returns how many
    jobs ran."""
    holder, ran, swept = holder_name(), 0, 0.0
    if not once:
        signal.signal(signal.SIGTERM, _stop)
    log.info("job worker %s started", holder)
    while True:
        job, rebuilt = None, 0
        with app.app_context():
            try:
                if time.monotonic() - swept > FORGET_EVERY:
                    swept = time.monotonic()
                    if dropped := jobs.forget_files():
                        log.info("dropped the files of %s old jobs", dropped)
                job = jobs.claim(holder)
                if job is not None:
                    log.info("job %s (%s) claimed by %s, attempt %s", job.id, job.kind, holder, job.attempts)
                    execute(job, holder)
                    ran += 1
                rebuilt = report_page.rebuild_wanted(most=1)
            except LeaseLost as lost:
                log.warning("%s", lost)
            finally:
                db.session.remove()
        if job is None and not rebuilt:
            if once:
                return ran
            time.sleep(app.config["JOBS_POLL_SECONDS"])
