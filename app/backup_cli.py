"""``flask db backup FILE`` and ``flask db restore FILE``, beside Flask-Migrate's ``db upgrade``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask_migrate.cli import db as db_cli

from app.services import backups
from app.services.errors import ServiceError


def _url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


@db_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the whole database to FILE, while the app keeps serving."""
    try:
        backups.backup(_url(), file)
    except ServiceError as error:
        click.echo(error.message, err=True)
        sys.exit(1)
    click.echo(f"Backed up the database to {file} ({file.stat().st_size:,} bytes)", err=True)


@db_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database with the copy in FILE (stop the app and the scheduler first)."""
    if not yes:
        click.confirm(f"Replace the whole database with {file}?", abort=True)
    try:
        backups.restore(_url(), file)
    except ServiceError as error:
        click.echo(error.message, err=True)
        sys.exit(1)
    click.echo(f"Restored the database from {file}", err=True)
