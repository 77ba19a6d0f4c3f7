"""Generated data (bench.generate, every programme) replays to the same dates and targets as the engine."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrolment, HoursEntry, TransitionEvent
from app.services.catalogue import stored_definitions
from app.services.facts import assess
from bench.generate import generate
from reports.frames import Filters
from reports.report import cohort_report

TODAY = date(2026, 11, 25)


def test_the_report_agrees_with_the_engine_for_every_generated_enrolment(app, ctx):
    counts = generate(app.config["SQLALCHEMY_DATABASE_URI"], enrolments=240, seed=7, today=TODAY,
                      hours_per_enrolment=5)  # fmt: skip
    assert counts["enrolments"] == db.session.scalar(select(func.count()).select_from(Enrolment)) == 240
    assert db.session.scalar(select(func.count()).select_from(HoursEntry)) == counts["hours_entries"]
    actions = set(db.session.scalars(select(TransitionEvent.action).distinct()))
    assert actions >= {"enrol", "advance", "hold", "resume", "withdraw"}
    report = cohort_report(db.session.connection(), TODAY, Filters(), stored_definitions(db.session.connection()))
    per = report.per_enrolment.set_index("id")
    enrolments = db.session.scalars(select(Enrolment)).all()
    assert set(per.index) == {e.id for e in enrolments}
    for assessed in assess(enrolments, TODAY):
        row, evaluation = per.loc[assessed.enrolment.id], assessed.evaluation
        assert row["state"] == assessed.enrolment.state
        assert row["stage"] == assessed.enrolment.stage
        assert row["expected_end"].date() == evaluation.expected_end, assessed.definition.key
        assert row["days_on_hold"] == evaluation.days_on_hold
        if row["state"] == "active":
            assert row["hours_target"] == evaluation.hours_target_to_date, assessed.definition.key
        if row["state"] in ("active", "on_hold"):
            overdue = [s for s in evaluation.review_slots if s.held_on is None and s.due < TODAY]
            assert row["overdue_reviews"] == len(overdue)
    assert report.views["cohort"]["enrolled"].sum() == 240
