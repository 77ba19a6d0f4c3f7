"""The words of a reminder: subject, plain text and HTML bodies, and the link to act on it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from pathways import format_date
from reminders.model import ALWAYS_EMAILED, Reminder

ACTIONS = {
    "learner": "Open your programme",
    "preceptor": "Open the learner's record",
    "lead": "Open in Waymark",
}
SIGNOFF_ACTION = "Open your sign-off requests"
PREFERENCES_PATH = "/notifications/preferences"


def _footer(reminder: Reminder, base_url: str) -> str:
    if reminder.rule in ALWAYS_EMAILED.get(reminder.role, ()):
        return "Overdue reviews are always sent by email because they need action."
    return f"Choose which reminders Waymark emails you: {absolute(base_url, PREFERENCES_PATH)}"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str
    link: str


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def message_id(outbox_id: int, base_url: str) -> str:
    """The same outbox row always gives the same Message-ID, so a resend after a crash is traceable."""
    host = urlsplit(base_url).hostname or "waymark.localhost"
    return f"<outbox-{outbox_id}@{host}>"


def render(reminder: Reminder, base_url: str) -> Rendered:
    url = absolute(base_url, reminder.path)
    action = SIGNOFF_ACTION if reminder.path.endswith("/signoffs") else ACTIONS[reminder.role]
    when = "Was due" if reminder.overdue else "Due by"
    footer = _footer(reminder, base_url)
    greeting = f"Dear {reminder.recipient.first_name}," if reminder.recipient.first_name else "Hello,"
    text = "\n".join(
        [
            greeting,
            "",
            *reminder.lines,
            "",
            f"{when}: {format_date(reminder.due_on)}" if reminder.enrolment_id else "",
            f"{action}: {url}",
            "",
            "Waymark – learner pathways and preceptorship",
            footer,
        ]
    )
    items = "".join(f"<p>{escape(line)}</p>" for line in reminder.lines)
    due = f"<p><strong>{when}: {format_date(reminder.due_on)}</strong></p>" if reminder.enrolment_id else ""
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(reminder.subject)}</title></head>"
        '<body style="font-family: Arial, sans-serif; color: #212b32; font-size: 16px">'
        f"<p>{escape(greeting)}</p>{items}{due}"
        f'<p><a href="{escape(url)}" style="color: #005eb8">{escape(action)}</a></p>'
        '<p style="color: #4c6272; font-size: 14px">Waymark – learner pathways and preceptorship. '
        f"{escape(footer)}</p>"
        "</body></html>"
    )
    return Rendered(reminder.subject, text, html, reminder.path)
