"""``flask jobs work [--once]``: the background job worker (docs/CONTRACT.md)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.jobs.worker import work

jobs_cli = AppGroup("jobs", help="Background jobs: big imports, big report downloads, stale report pages.")


@jobs_cli.command("work")
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then stop.")
@with_appcontext
def work_command(once: bool) -> None:
    """Run background jobs as they are queued (until stopped; Ctrl+C gives the job in hand back)."""
    try:
        ran = work(current_app._get_current_object(), once=once)  # type: ignore[attr-defined]
    except (KeyboardInterrupt, SystemExit):
        click.echo("Job worker stopped")
        return
    if once:
        click.echo(f"Ran {ran} jobs")
