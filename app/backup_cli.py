"""``flask db backup FILE`` and ``flask db restore FILE``, beside Flask-Migrate's ``db upgrade``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask_migrate.cli import db as db_cli

from app.services import backups
from app.services.errors import ServiceError


def _run(action: Callable[[str, Path], None], file: Path) -> None:
    """Run ``action`` on the app's database; a refusal is printed and exits 1."""
    try:
        action(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except ServiceError as error:
        click.echo(error.message, err=True)
        sys.exit(1)


@db_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the whole database to FILE, while the app keeps serving."""
    _run(backups.backup, file)
    click.echo(f"Backed up the database to {file} ({file.stat().st_size:,} bytes)", err=True)


@db_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database with the copy in FILE (stop the app and the scheduler first)."""
    if not yes:
        click.confirm(f"Replace the whole database with {file}?", abort=True)
    _run(backups.restore, file)
    click.echo(f"Restored the database from {file}", err=True)
