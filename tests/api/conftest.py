"""A trust with a lead, two preceptors and an enrolled learner, a second trust, and an API token for each."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from app.services import tokens


@pytest.fixture(autouse=True)
def _frozen_today(frozen_today):
    return frozen_today


@pytest.fixture
def auth(world):
    """auth(user) -> the Authorization header with that user's token (issued up front, so counts stay still)."""
    people = (
        world.lead,
        world.preceptor,
        world.other_preceptor,
        world.learner,
        world.other_learner,
        world.foreign_lead,
    )
    issued = {user.id: {"Authorization": f"Bearer {tokens.issue(user)}"} for user in people}
    return lambda user: issued[user.id]


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))
