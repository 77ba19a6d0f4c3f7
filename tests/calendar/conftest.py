"""A trust on 2 March 2026 (before the spring clock change), a real SMTP server, and reading invitations back."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage

import pytest
from icalendar import Calendar

from reminders.delivery import deliver
from tests.reminders.conftest import mailbox  # noqa: F401  (a real SMTP server on loopback)
from tests.web.conftest import World, as_user  # noqa: F401

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def trust(request, ctx, time_machine) -> World:
    """The web tests' small trust, made on 2 March 2026 with time moving on from there."""
    time_machine.move_to(NOW, tick=True)
    return request.getfixturevalue("world")


def delivered(box) -> list[EmailMessage]:
    """Send what the outbox holds to the test SMTP server; the messages it received, parsed."""
    box.handler.messages.clear()
    deliver()
    return [email.message_from_bytes(content, policy=policy.default) for _, _, content in box.handler.messages]


def invitation_of(message: EmailMessage) -> tuple[Calendar, object]:
    """The attached .ics, parsed with icalendar, and the method its part's Content-Type names."""
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    return Calendar.from_ical(parts[0].get_content()), parts[0].get_param("method")


def by_recipient(messages: list[EmailMessage]) -> dict[str, EmailMessage]:
    return {m["To"].addresses[0].addr_spec: m for m in messages}
