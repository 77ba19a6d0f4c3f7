"""Notices sent when something happens to a learner's record: in the app always, by email unless switched off.

The reminder scan queues what is due on a date; these are queued by the command that caused them,
in its transaction, so a sign-off that is rolled back announces nothing.
"""

from __future__ import annotations

from html import escape

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, NotificationPreference, OutboxMessage, User
from app.services.clock import today


def _emails_wanted(user: User, kind: str) -> bool:
    switched_off = db.session.scalar(
        select(NotificationPreference.id).where(
            NotificationPreference.user_id == user.id,
            NotificationPreference.kind == kind,
            NotificationPreference.email_enabled.is_(False),
        )
    )
    return switched_off is None


def notify(
    recipient: User,
    *,
    kind: str,
    key: str,
    enrolment_id: int | None,
    title: str,
    lines: list[str],
    path: str,
    email: bool = True,
) -> None:
    """One notice about one event; ``key`` names the event so the outbox holds it once.

    ``email`` False keeps it in the app (a finished job: its requester is waiting on its page).
    """
    db.session.add(
        Notification(
            user_id=recipient.id, enrolment_id=enrolment_id, kind=kind, title=title, body="\n".join(lines), link=path
        )
    )
    if not email or not _emails_wanted(recipient, kind):
        return
    base = current_app.config["BASE_URL"].rstrip("/")
    footer = f"Choose what Waymark emails you: {base}/notifications/preferences"
    text = "\n\n".join([f"Dear {recipient.first_name},", *lines, f"Open it in Waymark: {base}{path}", footer])
    html = "".join(f"<p>{escape(line)}</p>" for line in [f"Dear {recipient.first_name},", *lines])
    html += f'<p><a href="{escape(base + path)}">Open it in Waymark</a></p><p>{escape(footer)}</p>'
    db.session.add(
        OutboxMessage(
            rule=f"{kind}:{key}"[:60],
            enrolment_id=enrolment_id or 0,
            due_on=today(),
            recipient_id=recipient.id,
            subject=title,
            body_text=text.strip(),
            body_html=html,
            link=path,
            send_email=True,
            status="queued",
        )
    )
