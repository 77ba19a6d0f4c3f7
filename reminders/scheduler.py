"""The scheduler process (``flask reminders run``): the schedule as data, never inside a web worker.

Under gunicorn a scheduler in ``create_app`` would start once per worker; this process runs
alone, and the scan lock keeps a second copy on another machine from scanning at the same time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from app.extensions import db
from app.services.clock import LONDON, today
from reminders import metrics
from reminders.delivery import deliver
from reminders.housekeeping import anonymise_job, forget_failed_sign_ins_job
from reminders.scan import scan

log = logging.getLogger("reminders")
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


@dataclass(frozen=True)
class Job:
    id: str
    name: str
    func: Callable[[], None]
    trigger: object
    start_now: bool = False


def scan_job() -> None:
    started = time.perf_counter()
    result = scan(today())
    if result.locked_out:
        metrics.SCANS_SKIPPED.inc()
        log.info("reminder scan skipped: another scan is running")
    else:
        metrics.SCAN_SECONDS.observe(time.perf_counter() - started)
        metrics.SCAN_ENROLMENTS.set(result.enrolments)
        metrics.SCAN_QUEUED.inc(len(result.queued))
        log.info(
            "reminder scan for %s: %s enrolments, %s reminders queued, %s enrolments could not be checked",
            result.as_of,
            result.enrolments,
            len(result.queued),
            len(result.unchecked),
        )


def send_job() -> None:
    result = deliver()
    for outcome in ("sent", "retrying", "failed"):
        metrics.DELIVERIES.labels(outcome).inc(getattr(result, outcome))
    if result.sent or result.retrying or result.failed:
        log.info(
            "reminders sent: %s, retrying later: %s, failed for good: %s", result.sent, result.retrying, result.failed
        )


JOBS = (
    # Also once at start when REMINDERS_RUN_ON_START is set (make serve): a process restarted
    # after 07:00 must not lose the day (repeats are no-ops). Off by default, so that starting a
    # development copy emails no one.
    Job(
        "reminders-scan",
        "Daily reminder scan at 07:00",
        scan_job,
        CronTrigger(hour=7, minute=0, timezone=LONDON),
        start_now=True,
    ),
    Job(
        "reminders-send",
        "Deliver the outbox every 5 minutes",
        send_job,
        IntervalTrigger(minutes=5, timezone=LONDON),
        start_now=True,
    ),
    Job(
        "failed-sign-ins-forget",
        "Delete failed sign-in records past FAILED_SIGN_IN_DAYS at 02:30",
        forget_failed_sign_ins_job,
        CronTrigger(hour=2, minute=30, timezone=LONDON),
    ),
    Job(
        "people-anonymise",
        "Anonymise people past their organisation's retention period at 02:45",
        anonymise_job,
        CronTrigger(hour=2, minute=45, timezone=LONDON),
    ),
)


def _in_app(app: Flask, func: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            try:
                func()
            except Exception:
                log.exception("%s failed", func.__name__)
                raise
            finally:
                db.session.remove()

    run.__name__ = func.__name__
    return run


def build_scheduler(app: Flask, scheduler: BaseScheduler | None = None) -> BaseScheduler:
    scheduler = scheduler or BlockingScheduler(timezone=LONDON, job_defaults=JOB_DEFAULTS)
    run_on_start = bool(app.config.get("REMINDERS_RUN_ON_START"))
    for job in JOBS:
        extra = {"next_run_time": datetime.now(LONDON)} if job.start_now and run_on_start else {}
        scheduler.add_job(
            _in_app(app, job.func),
            job.trigger,
            id=job.id,
            name=job.name,
            replace_existing=True,
            **JOB_DEFAULTS,
            **extra,
        )
    return scheduler
