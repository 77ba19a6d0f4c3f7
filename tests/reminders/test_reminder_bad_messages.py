"""One bad message never holds back the others: each is sent in its own attempt, and what cannot be sent fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from reminders import delivery
from reminders.delivery import deliver
from reminders.scan import scan
from tests.factories import UserFactory
from tests.reminders.conftest import SCAN_DAY
from tests.reminders.test_reminder_delivery import received, rows
from tests.reminders.test_reminder_pages import page, sign_in

NOW = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)


def message_ids(mailbox) -> list[str]:
    return [m["Message-ID"] for m in received(mailbox)]


def rename(user, first_name: str) -> None:
    """Write the name straight into the row, as the import did before it refused control characters."""
    user.first_name = first_name
    db.session.commit()


def test_a_line_break_in_a_name_fails_only_its_own_messages_and_the_rest_are_sent_once(trust, mailbox):
    rename(trust.other_learner, "Tom\nBcc: everyone@nhs.test")
    scan(SCAN_DAY)
    bad = {r.id for r in rows() if "\n" in r.subject or r.recipient_id == trust.other_learner.id}
    good = {r.id for r in rows()} - bad
    assert bad and good and max(good) > min(bad)  # some of the good ones come after a bad one

    result = deliver(now=NOW)
    assert (result.sent, result.retrying, result.failed) == (len(good), 0, len(bad))
    assert sorted(message_ids(mailbox)) == sorted(f"<outbox-{i}@waymark.test>" for i in good)
    by_id = {r.id: r for r in rows()}
    assert {(by_id[i].status, by_id[i].attempts) for i in bad} == {("failed", 1)}
    assert {by_id[i].last_error for i in bad} <= {
        "The To header would hold a control character (U+000A), so the email was not sent",
        "The Subject header would hold a control character (U+000A), so the email was not sent",
    }
    assert all("everyone@nhs.test" not in str(rcpt) for _, rcpt, _ in mailbox.handler.messages)

    again = deliver(now=NOW + timedelta(hours=1))
    assert (again.sent, again.failed) == (0, 0) and len(mailbox.handler.messages) == len(good)  # nothing re-sent


@pytest.mark.parametrize("character", ["\r", "\n", "\x07", "\x1b", "\t", "\u2028"], ids=repr)
def test_a_header_with_a_control_character_is_refused_when_the_email_is_built(trust, mailbox, character):
    scan(SCAN_DAY)
    rename(trust.learner, f"Amira{character}")  # after the scan: only the To header of the learner's email has it
    deliver(now=NOW)
    [mine] = [r for r in rows() if r.recipient_id == trust.learner.id]
    assert (mine.status, mine.attempts) == ("failed", 1)
    assert mine.last_error == (
        f"The To header would hold a control character (U+{ord(character):04X}), so the email was not sent"
    )
    assert all(rcpt != [trust.learner.email] for _, rcpt, _ in mailbox.handler.messages)
    assert {r.status for r in rows() if r.recipient_id != trust.learner.id} == {"sent"}


def test_a_message_sent_before_a_crash_is_not_sent_again(trust, mailbox, monkeypatch):
    queued = len(scan(SCAN_DAY).queued)
    real, built = delivery.build_email, []

    def crashes_on_the_third(row, recipient, config):
        built.append(row.id)
        if len(built) == 3:
            raise RuntimeError("the sender was killed")
        return real(row, recipient, config)

    monkeypatch.setattr(delivery, "build_email", crashes_on_the_third)
    with pytest.raises(RuntimeError):
        deliver(now=NOW)
    db.session.rollback()
    assert [r.status for r in rows()][:3] == ["sent", "sent", "queued"]  # each committed after its own send
    monkeypatch.setattr(delivery, "build_email", real)
    deliver(now=NOW)
    ids = message_ids(mailbox)
    assert len(ids) == len(set(ids)) == queued


@pytest.mark.parametrize(
    ("stage", "reply"),
    [("RCPT", "550 5.1.1 No such mailbox here"), ("DATA", "554 5.7.1 Message refused by policy")],
)
def test_a_message_the_server_refuses_for_good_is_failed_at_once_with_the_reply(trust, mailbox, stage, reply):
    mailbox.handler.refusals[trust.preceptor.email] = (stage, reply)
    scan(SCAN_DAY)
    result = deliver(now=NOW)
    refused = [r for r in rows() if r.recipient_id == trust.preceptor.id]
    assert refused and {(r.status, r.attempts) for r in refused} == {("failed", 1)}
    assert all(reply in r.last_error and "refused" in r.last_error for r in refused)
    assert result.failed == len(refused) and result.retrying == 0
    assert {r.status for r in rows() if r.recipient_id != trust.preceptor.id} == {"sent"}


def test_a_temporary_refusal_is_retried_later(trust, mailbox):
    mailbox.handler.refusals[trust.preceptor.email] = ("RCPT", "450 4.2.1 Mailbox busy, try again later")
    scan(SCAN_DAY)
    deliver(now=NOW)
    waiting = [r for r in rows() if r.recipient_id == trust.preceptor.id]
    assert {(r.status, r.attempts) for r in waiting} == {("queued", 1)}
    del mailbox.handler.refusals[trust.preceptor.email]
    assert deliver(now=NOW + timedelta(minutes=5)).sent == len(waiting)


def test_a_connection_that_drops_during_one_message_is_reopened_for_the_next(trust, mailbox):
    mailbox.handler.refusals[trust.preceptor.email] = ("DROP", "")
    queued = len(scan(SCAN_DAY).queued)
    result = deliver(now=NOW)
    dropped = [r for r in rows() if r.recipient_id == trust.preceptor.id]
    assert {(r.status, r.attempts) for r in dropped} == {("queued", 1)}  # the server's fault: tried again later
    assert (result.sent, result.retrying) == (queued - len(dropped), len(dropped))
    assert {r.status for r in rows() if r.recipient_id != trust.preceptor.id} == {"sent"}


def test_admins_see_why_a_message_failed_on_the_outbox_page(trust, mailbox, client):
    mailbox.handler.refusals[trust.preceptor.email] = ("RCPT", "550 5.1.1 No such mailbox here")
    scan(SCAN_DAY)
    rename(trust.learner, "Amira\r\n")
    deliver(now=NOW)
    sign_in(client, UserFactory(role="admin", organisation=trust.lead.organisation))
    html = page(client, "/admin/outbox")
    assert "The To header would hold a control character (U+000D), so the email was not sent" in html
    assert f"The mail server refused {trust.preceptor.email}: 550 5.1.1 No such mailbox here" in html
