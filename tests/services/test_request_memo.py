"""Reads remembered within a request, or within ``remembering()`` outside one, and never past a write."""

from __future__ import annotations

from sqlalchemy import select, update

from app.extensions import db
from app.models import User
from app.services.request_memo import recalled, remember, remembering
from tests.factories import LearnerFactory


def test_outside_a_request_nothing_is_remembered(ctx):
    remember("answer", 42)
    assert recalled("answer") is None


def test_remembering_keeps_a_read_until_the_block_ends(ctx):
    with remembering():
        remember("answer", 42)
        db.session.execute(select(User.id).limit(1))  # another read forgets nothing
        assert recalled("answer") == 42
    assert recalled("answer") is None
    with remembering():
        assert recalled("answer") is None


def test_remembering_forgets_on_a_write(ctx):
    learner = LearnerFactory()
    db.session.commit()
    with remembering():
        remember("answer", 42)
        db.session.execute(update(User).where(User.id == learner.id).values(first_name="Zoë"))
        assert recalled("answer") is None
        remember("answer", 43)
        db.session.rollback()
        assert recalled("answer") is None
