"""Delivery to a real SMTP server on loopback: what arrives, and what happens while it is down."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage

from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.services import outbox
from reminders.delivery import backoff, deliver
from reminders.scan import scan
from tests.reminders.conftest import SCAN_DAY


def received(mailbox) -> list[EmailMessage]:
    return [email.message_from_bytes(content, policy=policy.default) for _, _, content in mailbox.handler.messages]


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_each_reminder_arrives_once_to_its_recipient_with_a_link_to_act_on_it(trust, mailbox):
    queued = scan(SCAN_DAY).queued
    result = deliver()
    assert result.sent == len(queued) == len(mailbox.handler.messages)
    assert deliver().sent == 0  # nothing is sent twice
    mails = {(m["To"].addresses[0].addr_spec, m["Subject"]): m for m in received(mailbox)}
    mail = mails[("priya.preceptor@nhs.test", "Overdue: Amira Khan's two-monthly review 1")]
    assert mail["To"].addresses[0].display_name == trust.preceptor.full_name
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    link = f"http://waymark.test/preceptor/enrolments/{trust.enrolment.id}"
    assert "was due on 1 November 2026" in text and f"Open the learner's record: {link}" in text
    assert f'href="{link}"' in html
    assert "Overdue reviews are always sent by email" in text
    learner_mail = next(m for (to, _), m in mails.items() if to == "amira.khan@nhs.test")
    assert "Choose which reminders Waymark emails you: http://waymark.test/notifications/preferences" in (
        learner_mail.get_body(("plain",)).get_content()
    )
    row = next(r for r in rows() if r.subject == mail["Subject"] and r.recipient_id == trust.preceptor.id)
    assert mail["Message-ID"] == f"<outbox-{row.id}@waymark.test>"
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    envelopes = {tuple(rcpt) for _, rcpt, _ in mailbox.handler.messages}
    assert ("amira.khan@nhs.test",) in envelopes and ("lena.lead@nhs.test",) in envelopes


def test_while_the_mail_server_is_down_rows_stay_queued_and_are_sent_once_it_is_back(trust, mailbox, app):
    mailbox.stop()
    queued = len(scan(SCAN_DAY).queued)
    now = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)
    first = deliver(now=now)
    assert (first.sent, first.retrying) == (0, queued)
    assert {(r.status, r.attempts) for r in rows()} == {("queued", 1)}
    assert all("Cannot reach the mail server" in r.last_error for r in rows())
    assert deliver(now=now + timedelta(seconds=30)).retrying == 0  # not due again yet: nothing tried
    second = deliver(now=now + timedelta(minutes=2))
    assert second.retrying == queued and {r.attempts for r in rows()} == {2}
    mailbox.start()
    assert deliver(now=now + timedelta(minutes=3)).sent == 0  # still waiting out the backoff
    back = deliver(now=now + timedelta(minutes=10))
    assert back.sent == queued == len(mailbox.handler.messages)
    assert {(r.status, r.attempts, r.last_error) for r in rows()} == {("sent", 3, "")}


def test_a_row_that_keeps_failing_is_kept_as_failed(trust, mailbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    mailbox.stop()
    scan(SCAN_DAY)
    now = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)
    for hours in range(0, 4):
        deliver(now=now + timedelta(hours=hours))
    assert {(r.status, r.attempts) for r in rows()} == {("failed", 3)}
    mailbox.start()
    assert deliver(now=now + timedelta(days=1)).sent == 0  # failed rows wait for an admin


def test_backoff_doubles_and_is_capped():
    assert [backoff(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30, 60) == timedelta(hours=6)


def test_rows_another_sender_holds_wait_for_its_lease_to_run_out(trust, mailbox):
    queued = len(scan(SCAN_DAY).queued)
    now = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)
    held = outbox.claim_due(now, "another-sender", timedelta(minutes=10), limit=3)
    assert len(held) == 3
    assert deliver(now=now).sent == queued - 3  # the other sender's rows are left to it
    assert deliver(now=now + timedelta(minutes=5)).sent == 0  # it is still within its lease
    assert deliver(now=now + timedelta(minutes=11)).sent == 3  # it died: its rows are sent by another
    ids = [m["Message-ID"] for m in received(mailbox)]
    assert len(ids) == len(set(ids)) == queued
