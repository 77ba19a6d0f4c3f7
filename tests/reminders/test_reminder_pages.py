"""The notifications list, email preferences and the admins' outbox page, as users meet them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Notification, NotificationPreference, OutboxMessage
from reminders.delivery import deliver
from reminders.scan import scan
from tests.factories import PASSWORD, LeadFactory, UserFactory
from tests.reminders.conftest import SCAN_DAY


def sign_in(client, user) -> None:
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_a_learner_reads_their_reminders_and_marks_them_read(trust, client):
    scan(SCAN_DAY)
    sign_in(client, trust.learner)
    html = page(client, "/notifications")
    assert "Your protected learning hours are behind plan" in html and "Unread" in html
    assert "Notifications (1 unread)" in page(client, "/learner/")
    note = db.session.scalar(select(Notification).where(Notification.user_id == trust.learner.id))
    opened = client.post(f"/notifications/{note.id}/read", data={"open": "1"})
    assert opened.headers["Location"] == f"/learner/enrolments/{trust.enrolment.id}"
    db.session.expire_all()
    assert note.read_at is not None and audit_count("notification.read") == 1
    assert "Unread" not in page(client, "/notifications")


def test_someone_elses_notification_is_not_found_and_stays_unread(trust, client):
    scan(SCAN_DAY)
    theirs = db.session.scalar(select(Notification).where(Notification.user_id == trust.preceptor.id).limit(1))
    sign_in(client, trust.learner)
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    db.session.expire_all()
    assert theirs.read_at is None and audit_count("notification.read") == 0


def test_mark_all_as_read(trust, client):
    scan(SCAN_DAY)
    sign_in(client, trust.preceptor)
    response = client.post("/notifications/read-all", follow_redirects=True)
    assert "2 notifications marked as read" in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == trust.preceptor.id, Notification.read_at.is_(None))
        )
        == 0
    )


def test_a_learner_switches_email_off_for_one_kind_and_still_sees_it_in_the_app(trust, client, mailbox):
    sign_in(client, trust.learner)
    assert 'value="hours_behind" checked' in page(client, "/notifications/preferences")
    saved = client.post("/notifications/preferences", data={"email": ["review_due", "stage_deadline"]})
    assert saved.status_code == 302 and audit_count("notification.preferences_changed") == 1
    assert 'value="hours_behind" checked' not in page(client, "/notifications/preferences")
    scan(SCAN_DAY)
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_id == trust.learner.id))
    assert (row.rule, row.send_email, row.status) == ("hours_behind", False, "sent")
    deliver()
    assert all(rcpt != [trust.learner.email] for _, rcpt, _ in mailbox.handler.messages)
    assert "Your protected learning hours are behind plan" in page(client, "/notifications")


def test_a_preceptor_cannot_switch_off_overdue_review_emails(trust, client, mailbox):
    sign_in(client, trust.preceptor)
    html = page(client, "/notifications/preferences")
    assert 'value="review_overdue" checked disabled' in html and "Always sent by email" in html
    client.post("/notifications/preferences", data={})  # everything unticked
    stored = set(
        db.session.scalars(
            select(NotificationPreference.kind).where(
                NotificationPreference.user_id == trust.preceptor.id, NotificationPreference.email_enabled.is_(False)
            )
        )
    )
    assert stored == {"review_due", "signoff_waiting", "stage_deadline"}
    scan(SCAN_DAY)
    deliver()
    assert [rcpt for _, rcpt, _ in mailbox.handler.messages].count([trust.preceptor.email]) == 2


def test_an_unknown_kind_is_refused_and_nothing_is_saved(trust, client):
    sign_in(client, trust.learner)
    response = client.post("/notifications/preferences", data={"email": ["review_overdue"]})
    assert response.status_code == 400
    assert "There is no reminder called review_overdue for your role" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0
    assert audit_count("notification.preferences_changed") == 0


@pytest.fixture
def failed_rows(trust, mailbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 1)
    mailbox.stop()
    scan(SCAN_DAY)
    deliver(now=datetime(2026, 11, 24, 7, 5, tzinfo=UTC))
    mailbox.start()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")))


def test_admins_see_failed_reminders_and_can_send_them_again(trust, failed_rows, client, mailbox):
    admin = UserFactory(role="admin", organisation=trust.lead.organisation)
    sign_in(client, admin)
    html = page(client, "/admin/outbox")
    assert "Failed" in html and "Cannot reach the mail server" in html and trust.preceptor.email in html
    row = next(r for r in failed_rows if r.recipient_id == trust.preceptor.id)
    assert client.post(f"/admin/outbox/{row.id}/retry").status_code == 302
    assert audit_count("outbox.retried") == 1
    assert deliver(now=datetime.now(UTC) + timedelta(minutes=1)).sent == 1
    assert [rcpt for _, rcpt, _ in mailbox.handler.messages] == [[trust.preceptor.email]]


@pytest.mark.parametrize("who", ["lead", "learner"])
def test_only_admins_see_the_outbox(trust, failed_rows, client, who):
    sign_in(client, trust.lead if who == "lead" else trust.learner)
    assert client.get("/admin/outbox").status_code == 403
    assert client.post(f"/admin/outbox/{failed_rows[0].id}/retry").status_code == 403
    assert audit_count("outbox.retried") == 0


def test_another_organisations_admin_sees_none_of_them(trust, failed_rows, client):
    stranger = UserFactory(role="admin", organisation=LeadFactory().organisation)
    sign_in(client, stranger)
    assert "Every email reminder has been delivered" in page(client, "/admin/outbox")
    assert client.post(f"/admin/outbox/{failed_rows[0].id}/retry").status_code == 404
