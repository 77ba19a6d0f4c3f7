"""``flask users token EMAIL`` and ``flask users revoke-tokens EMAIL``."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.services import accounts, tokens
from app.services.errors import ServiceError

users_cli = AppGroup("users", help="People and their API tokens.")


def _user(email: str):
    user = accounts.find_by_email(email)
    if user is None:
        click.echo(f"There is no one with the email address {email}", err=True)
        sys.exit(1)
    return user


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. 'Power BI refresh'.")
def issue_token(email: str, name: str) -> None:
    """Print a new API token for that person; it is shown once (only its hash is kept)."""
    try:
        click.echo(tokens.issue(_user(email), name=name))
    except ServiceError as error:
        click.echo(error.message, err=True)
        sys.exit(1)


@users_cli.command("revoke-tokens")
@click.argument("email")
def revoke_tokens(email: str) -> None:
    """Revoke every live API token of that person."""
    count = tokens.revoke_all(_user(email))
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''} of {email}")
