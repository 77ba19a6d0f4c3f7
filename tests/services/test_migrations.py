"""A migration that rebuilds a table on SQLite keeps the rows of the tables that point at it."""

from __future__ import annotations

import tempfile
from datetime import date

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from app.models import OutboxAttachment, OutboxMessage
from tests.factories import LearnerFactory


def test_the_outbox_rebuild_keeps_queued_emails_and_their_invitations(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'waymark.db'}",
            "EVIDENCE_DIR": tempfile.mkdtemp(prefix="waymark-evidence-"),
        }
    )
    with app.app_context():
        upgrade()
        learner = LearnerFactory()
        row = OutboxMessage(
            rule="review_meeting:1:0", enrolment_id=0, due_on=date(2026, 12, 2), recipient_id=learner.id,
            subject="Booked: Review 1", body_text="Dear Ann,", status="queued",
        )  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(
            OutboxAttachment(outbox_id=row.id, file_name="invite.ics", content_type="text/calendar", content=b"BEGIN")
        )
        db.session.commit()
        row_id = row.id
        db.session.remove()
        # Down to before the guests (the outbox table rebuilt) and up again (rebuilt once more).
        downgrade(revision="0015")
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT subject FROM outbox")).scalars().all() == ["Booked: Review 1"]
            assert connection.execute(sa.text("SELECT outbox_id FROM outbox_attachments")).scalars().all() == [row_id]
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1  # enforced again afterwards
            assert connection.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        db.engine.dispose()
