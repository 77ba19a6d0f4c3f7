"""Service tests run on a fixed today (see ``frozen_today`` in tests/conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent


@pytest.fixture(autouse=True)
def _frozen_today(frozen_today):
    return frozen_today


def audit_actions(enrolment_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.enrolment_id == enrolment_id).order_by(AuditEvent.id)
        )
    )
