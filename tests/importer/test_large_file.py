"""A 10,000-row file imports for real (the timing is in bench/import_bench.py, not asserted here)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Enrolment, PreceptorAssignment, User
from app.services import importer
from tests.importer.conftest import TRAINED, csv_file, person, staff

ROWS = 10_000


@pytest.mark.many_rows
def test_ten_thousand_rows_import_in_one_go(trust):
    preceptors = [
        staff(f"P{i:05d}", role="preceptor", first_name="Zoë", last_name="O'Neill", **TRAINED) for i in range(100)
    ]
    learners = [
        person(f"L{i:05d}", last_name="Nguyễn", preceptor_employee_number=f"P{i % 100:05d}", cohort=f"Intake {i % 4}")
        if i < 300
        else staff(f"L{i:05d}")
        for i in range(ROWS - len(preceptors))
    ]
    plan = importer.run(None, trust.organisation, csv_file(preceptors + learners, bom=True))
    assert plan.problems == []
    assert plan.summary()["people_created"] == ROWS and plan.summary()["enrolments_created"] == 300

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    assert count(User, User.organisation_id == trust.organisation.id) == ROWS + 2  # with the lead and the preceptor
    assert count(Enrolment) == count(PreceptorAssignment) == 300
    assert count(AuditEvent, AuditEvent.action == "user.created") == ROWS
    assert count(AuditEvent, AuditEvent.object_id.is_(None)) == 0
