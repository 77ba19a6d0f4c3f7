"""The email that carries a signing link to a party without an account, sent at once (not queued).

Only the link's hash is stored, so the email cannot wait in the outbox; if it cannot be sent, the
sender is told and sends a new link (which withdraws this one).
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, url_for

from app.services.signing_links import IssuedLink
from pathways import format_date
from reminders.delivery import MailServer


def signing_email(issued: IssuedLink, learner_name: str, programme: str) -> EmailMessage:
    config = current_app.config
    url = config["BASE_URL"].rstrip("/") + url_for("public.sign_review", token=issued.token)
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = issued.link.email
    message["Subject"] = f"Please sign {learner_name}'s review ({programme})"
    message["Message-ID"] = make_msgid(domain="waymark")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        "\n\n".join(
            [
                "Hello,",
                f"You are asked to sign, as the {issued.party_title.lower()}, the review of {learner_name} on "
                f"the {programme} held on {format_date(issued.review.held_on)}.",
                f"Open this link to read the review and sign it, or to record that you disagree:\n{url}",
                f"The link works once and expires on {format_date(issued.link.expires_at.date())}. "
                "Do not forward it: anyone with the link can sign in your name.",
            ]
        )
    )
    return message


def send_signing_email(issued: IssuedLink, learner_name: str, programme: str) -> str | None:
    """Send it; the reason it could not be sent, or None."""
    try:
        with MailServer(current_app.config) as mail:
            mail.send(signing_email(issued, learner_name, programme))
    except OSError as error:
        return str(error)
    return None
