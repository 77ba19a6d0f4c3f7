"""Invitation and reset emails, sent at once: the link inside is never stored, only its hash."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import Flask, current_app
from limits import parse

from app.extensions import db
from app.services import account_links
from app.services.account_links import Issued
from app.templating import uk_date
from reminders.delivery import MailServer
from reminders.messages import absolute

# "Forgot your password?" requests, one at a time, off the request thread (see ``reset_later``).
QUEUE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reset-mail")
# Built by hand, not with url_for: the command line sends invitations with no request to build URLs from.
SET_PASSWORD_PATH = "/account/set-password/"
SUBJECTS = {
    "invitation": "Set your password for Waymark",
    "reset": "Reset your Waymark password",
    "locked": "Your Waymark account is locked for a while",
}


def build(issued: Issued, kind: str) -> EmailMessage:
    """``kind`` is invitation, reset or locked (a reset link sent because of wrong passwords)."""
    config = current_app.config
    user = issued.user
    context = {
        "user": user,
        "link": absolute(config["BASE_URL"], SET_PASSWORD_PATH + issued.token),
        "expires": uk_date(issued.expires_at),
        "lock_minutes": config["ACCOUNT_LOCK_MINUTES"],
        "failures": parse(config["LOGIN_LIMIT_PER_ACCOUNT"]).amount,
        "kind": kind,
    }
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = formataddr((user.full_name, user.email))
    message["Subject"] = SUBJECTS[kind]
    message["Message-ID"] = make_msgid(domain="waymark")
    message["Auto-Submitted"] = "auto-generated"
    # Straight from the environment: the page context processors want a signed-in user, and the CLI has none.
    templates = current_app.jinja_env
    message.set_content(templates.get_template("email/account_link.txt").render(**context))
    message.add_alternative(templates.get_template("email/account_link.html").render(**context), subtype="html")
    return message


def send(issued: Issued, kind: str) -> bool:
    """Send one link; False (and logged) when the mail server did not take it."""
    try:
        with MailServer(current_app.config) as server:
            server.send(build(issued, kind))
    except OSError as error:
        current_app.logger.error("The %s email to user %s was not sent: %s", kind, issued.user.id, error)
        return False
    return True


def reset_later(email: str) -> Future[None]:
    """Answer "Forgot your password?" at once and do the rest on another thread: looking the address up,
    making the link and talking to the mail server. The page then takes the same time whether or not
    the address has an account, however slow the mail server is."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's target
    return QUEUE.submit(_reset, app, email)


def _reset(app: Flask, email: str) -> None:
    with app.app_context():
        try:
            if issued := account_links.reset_requested(email):
                send(issued, "reset")
        except Exception:
            app.logger.exception("A password reset request could not be handled")
        finally:
            db.session.remove()
