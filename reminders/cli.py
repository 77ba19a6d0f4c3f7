"""``flask reminders scan | send | run`` (docs/CONTRACT.md)."""

from __future__ import annotations

import logging
import signal
import sys
from datetime import datetime
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup

from app.services.clock import today
from logs import configure_logging
from pathways import format_date
from reminders import metrics
from reminders.delivery import deliver
from reminders.model import Reminder
from reminders.scan import scan
from reminders.scheduler import build_scheduler

reminders_cli = AppGroup("reminders", help="Reminder scan, delivery and the scheduler process.")


def _line(reminder: Reminder) -> None:
    click.echo(
        f"{reminder.rule}\tenrolment {reminder.enrolment_id}\tdue {reminder.due_on.isoformat()}\t"
        f"{reminder.role} {reminder.recipient.email}\t{reminder.subject}"
    )


@reminders_cli.command("scan")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Scan as on this day (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Show what would be queued; queue nothing.")
def scan_command(as_of: datetime | None, dry_run: bool) -> None:
    """Evaluate the reminder rules and queue what is due: one line per reminder queued."""
    day = as_of.date() if as_of else today()
    result = scan(day, dry_run=dry_run, echo=_line)
    if result.locked_out:
        click.echo("Another reminder scan is running; nothing was queued", err=True)
        sys.exit(1)
    verb = "would be queued" if dry_run else "queued"
    click.echo(
        f"{len(result.queued)} reminders {verb} for {result.enrolments} active enrolments as of {format_date(day)}",
        err=True,
    )
    for item in result.unchecked:
        click.echo(f"enrolment {item.enrolment_id}: could not be checked: {item.error}", err=True)
    if result.unchecked:
        count = len(result.unchecked)
        click.echo(
            f"{count} enrolment{'s' if count != 1 else ''} could not be checked; "
            "admins see which and why at /admin/outbox",
            err=True,
        )


@reminders_cli.command("send")
def send_command() -> None:
    """Deliver what the outbox holds."""
    result = deliver()
    click.echo(f"{result.sent} sent, {result.retrying} to retry later, {result.failed} failed for good", err=True)


def _stop(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
    raise SystemExit(0)


@reminders_cli.command("run")
def run_command() -> None:
    """The scheduler process: scan daily at 07:00 Europe/London, deliver every 5 minutes, until stopped."""
    config = current_app.config
    configure_logging(config["LOG_FORMAT"], config["LOG_LEVEL"])
    if config["SCHEDULER_METRICS_PORT"]:
        metrics.serve(config["SCHEDULER_METRICS_PORT"], config["METRICS_BIND"])
    scheduler = build_scheduler(current_app._get_current_object())  # type: ignore[attr-defined]  # the real app
    # Stop cleanly on SIGTERM (make, systemd, a container) as on Ctrl+C, which a shell may have had this
    # background process ignore.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)
    for job in scheduler.get_jobs():
        logging.getLogger("reminders").info("scheduled %s (%s): %s", job.id, job.name, job.trigger)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        logging.getLogger("reminders").info("scheduler stopped")
