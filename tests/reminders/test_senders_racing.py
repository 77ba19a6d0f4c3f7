"""Two sender processes started together against one real SMTP server: every message arrives once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from email import message_from_bytes
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage
from tests.factories import LearnerFactory, OrganisationFactory
from tests.reminders.conftest import Mailbox, RecordingHandler, free_port

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 40


class SlowHandler(RecordingHandler):
    """Takes a moment over each message, as a real server does, so the two senders overlap."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


def queue_messages(count: int) -> None:
    org = OrganisationFactory()
    people = [LearnerFactory(organisation=org) for _ in range(4)]
    now = datetime.now(UTC)
    rows = [
        {
            "rule": "review_due",
            "enrolment_id": number,
            "due_on": date(2026, 12, 1),
            "recipient_id": people[number % len(people)].id,
            "subject": f"Reminder {number}",
            "body_text": "A review is due.",
            "body_html": "<p>A review is due.</p>",
            "link": "/",
            "send_email": True,
            "status": "queued",
            "sent_at": None,
            "attempts": 0,
            "last_error": "",
            "created_at": now,
        }
        for number in range(1, count + 1)
    ]
    db.session.execute(OutboxMessage.__table__.insert(), rows)
    db.session.commit()


def test_two_senders_started_together_send_each_message_once(app, ctx):
    mailbox = Mailbox(free_port(), handler=SlowHandler())
    mailbox.start()
    try:
        queue_messages(MESSAGES)
        env = {
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(mailbox.port),
        }
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "send"]
        senders = [subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        reports = [sender.communicate(timeout=120)[1] for sender in senders]
    finally:
        mailbox.stop()
    assert [sender.returncode for sender in senders] == [0, 0], reports
    ids = [message_from_bytes(content)["Message-ID"] for _, _, content in mailbox.handler.messages]
    assert len(ids) == len(set(ids)) == MESSAGES, reports
    sent = [int(report.strip().splitlines()[-1].split(" sent")[0]) for report in reports]
    assert sum(sent) == MESSAGES, reports
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(OutboxMessage.status == "sent")) == MESSAGES
