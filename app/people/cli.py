"""``flask people anonymise [--as-of YYYY-MM-DD] [--dry-run]`` and ``flask people forget-failed-sign-ins``."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from app.services import anonymise, retention
from app.services.clock import today
from pathways import format_date

people_cli = AppGroup("people", help="Keeping and anonymising people's records.")


@people_cli.command("anonymise")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="As on this day (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="List who would be anonymised; change nothing.")
def anonymise_command(as_of: datetime | None, dry_run: bool) -> None:
    """Anonymise everyone past their organisation's retention period: one line per person."""
    day = as_of.date() if as_of else today()
    found = retention.due(day)
    for item in found:
        person = item.person
        assert person.leaving_date is not None  # only people with a leaving date are due
        click.echo(
            f"{item.organisation}\tperson {person.id}\t{person.full_name}\t{person.employee_number}\t"
            f"left {person.leaving_date.isoformat()}\tkept until {item.kept_until.isoformat()} ({item.years} years)"
        )
    if dry_run:
        click.echo(f"{len(found)} people would be anonymised as of {format_date(day)}", err=True)
        return
    done = anonymise.anonymise_due(day)
    click.echo(f"{len(done)} people anonymised as of {format_date(day)}", err=True)


@people_cli.command("forget-failed-sign-ins")
def forget_failed_sign_ins_command() -> None:
    """Delete failed sign-in records older than FAILED_SIGN_IN_DAYS (the scheduler does this daily)."""
    click.echo(f"{retention.forget_failed_sign_ins()} failed sign-in records deleted", err=True)
