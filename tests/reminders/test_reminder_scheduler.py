"""The schedule as data, the Sundays the clocks change, and the scheduler as its own process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.services import enrolments
from app.services.clock import LONDON
from reminders import scheduler as scheduler_module
from reminders.scheduler import JOBS, build_scheduler, scan_job
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory

ROOT = Path(__file__).resolve().parents[2]
SCAN = next(job for job in JOBS if job.id == "reminders-scan")


def fire_times(first_day: date, count: int) -> list[datetime]:
    previous, now, fires = None, datetime.combine(first_day, datetime.min.time(), LONDON), []
    for _ in range(count):
        fire = SCAN.trigger.get_next_fire_time(previous, now)
        fires.append(fire)
        previous, now = fire, fire + timedelta(seconds=1)
    return fires


def test_jobs_have_fixed_ids_and_never_overlap(app):
    scheduler = build_scheduler(app, BackgroundScheduler(timezone=LONDON))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"reminders-scan", "reminders-send", "failed-sign-ins-forget", "people-anonymise"}
    for job in jobs.values():
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
    assert jobs["reminders-send"].trigger.interval == timedelta(minutes=5)


@pytest.mark.parametrize(
    ("first", "utc_hours"),
    [(date(2026, 3, 27), [7, 7, 6, 6]), (date(2026, 10, 23), [6, 6, 7, 7])],
    ids=["clocks-go-forward-29-march", "clocks-go-back-25-october"],
)
def test_the_daily_scan_fires_once_a_day_at_seven_london_time_across_the_clock_change(first, utc_hours):
    fires = fire_times(first, 4)
    assert [f.astimezone(LONDON).date() for f in fires] == [first + timedelta(days=n) for n in range(4)]
    assert {(f.astimezone(LONDON).hour, f.astimezone(LONDON).minute) for f in fires} == {(7, 0)}
    assert [int(f.timestamp() // 3600 % 24) for f in fires] == utc_hours


@pytest.mark.parametrize(
    ("start", "first", "expected"),
    [
        # Initial review due Saturday 28 March 2026: reminded Thursday 26, overdue on the Sunday the clocks go forward.
        (
            date(2026, 3, 21),
            date(2026, 3, 26),
            {("review_due", date(2026, 3, 26)), ("review_overdue", date(2026, 3, 29))},
        ),
        # Due Sunday 25 October 2026: reminded Monday 19 October, overdue on Monday 26 October.
        (
            date(2026, 10, 18),
            date(2026, 10, 18),
            {("review_due", date(2026, 10, 19)), ("review_overdue", date(2026, 10, 26))},
        ),
    ],
    ids=["spring", "autumn"],
)
def test_scans_on_the_days_around_a_clock_change_queue_each_reminder_once(
    ctx, time_machine, monkeypatch, start, first, expected
):
    time_machine.move_to(datetime.combine(start, datetime.min.time(), LONDON), tick=False)
    org = OrganisationFactory()
    lead, preceptor = LeadFactory(organisation=org), PreceptorFactory(organisation=org)
    enrolment = enrolments.enrol(
        lead,
        learner_id=LearnerFactory(organisation=org).id,
        pathway_key="preceptorship",
        start_date=start,
        preceptor_id=preceptor.id,
    )
    scanned, real_scan = [], scheduler_module.scan
    monkeypatch.setattr(scheduler_module, "scan", lambda day: scanned.append(day) or real_scan(day))
    fires = fire_times(first, 10)
    for fire in fires:
        time_machine.move_to(fire, tick=False)
        scan_job()
    assert scanned == [first + timedelta(days=n) for n in range(10)]  # no day twice, none lost
    rows = db.session.execute(
        select(OutboxMessage.rule, OutboxMessage.created_at).where(
            OutboxMessage.recipient_id == preceptor.id, OutboxMessage.enrolment_id == enrolment.id
        )
    ).all()
    assert {(rule, _london_day(created)) for rule, created in rows} == expected


def _london_day(stamp: datetime) -> date:
    """SQLite hands back stored UTC timestamps without their zone."""
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(LONDON).date()


def test_flask_reminders_run_starts_logs_and_stops(app, mailbox):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("one process test is enough; it runs on the SQLite session")
    env = {**os.environ, "DATABASE_URL": url, "SMTP_PORT": str(mailbox.port), "SMTP_HOST": "127.0.0.1"}
    env["REMINDERS_RUN_ON_START"] = "1"  # as make serve starts it
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "run"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    try:
        for line in process.stderr:
            lines.append(line)
            if sum("executed successfully" in seen for seen in lines) == 2:  # both jobs ran at start
                break
    finally:
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=20)
    log = "".join(lines) + rest
    assert "scheduled reminders-scan (Daily reminder scan at 07:00): cron[hour='7', minute='0']" in log
    assert "scheduled reminders-send" in log
    assert 'Job "Deliver the outbox every 5 minutes' in log and 'Job "Daily reminder scan at 07:00' in log
    assert "reminder scan for 20" in log  # asked to, the day's scan also runs at start: a restart loses no day
    assert "scheduler stopped" in log
    assert process.returncode == 0, log


def first_runs(app) -> dict[str, datetime]:
    scheduler = BackgroundScheduler(timezone=LONDON)
    build_scheduler(app, scheduler)
    scheduler.start(paused=True)
    try:
        return {job.id: job.next_run_time for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)


def test_unless_asked_the_scheduler_runs_nothing_at_start(app):
    """A development copy started at 10:00 must not run the 07:00 scan, nor email, there and then."""
    now = datetime.now(LONDON)
    runs = first_runs(app)
    scan_at = runs["reminders-scan"].astimezone(LONDON)
    assert (scan_at.hour, scan_at.minute) == (7, 0) and scan_at > now  # the next 07:00, not now
    assert runs["reminders-send"] > now + timedelta(seconds=1)  # the next 5-minute tick


def test_asked_the_scheduler_scans_and_delivers_at_start(app, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDERS_RUN_ON_START", True)
    latest = datetime.now(LONDON) + timedelta(seconds=5)
    runs = first_runs(app)
    assert runs["reminders-scan"] <= latest and runs["reminders-send"] <= latest
    assert all(runs[job] > latest for job in ("failed-sign-ins-forget", "people-anonymise"))  # only at 02:30, 02:45
