"""An enrolment the scan cannot check never stops the scan for anyone else, and admins see it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select, update

from app.extensions import db
from app.models import Enrolment, ScanProblem
from reminders import gather
from reminders.scan import scan
from tests.factories import OrganisationFactory, UserFactory
from tests.reminders.conftest import SCAN_DAY, outbox_keys
from tests.reminders.test_reminder_pages import page, sign_in

BROKEN_START = date(9999, 12, 31)  # its 12-month end falls in the year 10000


def break_dates(enrolment: Enrolment, start: date = BROKEN_START) -> None:
    """Write the bad date straight into the row, as an old API bug or a hand-edited database left it."""
    db.session.execute(
        update(Enrolment).where(Enrolment.id == enrolment.id).values(start_date=start, stage_entered_on=start)
    )
    db.session.commit()


def utc(value: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they are stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def problems() -> list[ScanProblem]:
    db.session.expire_all()
    return list(db.session.scalars(select(ScanProblem).order_by(ScanProblem.id)))


@pytest.mark.parametrize(("batch_size", "workers"), [(5000, 1), (1, 1), (2, 2)])
def test_scan_carries_on_past_an_enrolment_whose_dates_cannot_be_computed(trust, batch_size, workers):
    expected = {k for k in (r.key for r in scan(SCAN_DAY, dry_run=True).queued) if k[1] != trust.unassigned.id}
    break_dates(trust.unassigned)
    result = scan(SCAN_DAY, batch_size=batch_size, workers=workers)
    assert outbox_keys() == expected  # everyone else's reminders, in this trust and the other one
    assert any(k[1] == trust.enrolment.id for k in expected)
    assert result.enrolments == 3
    assert [(u.enrolment_id, u.error) for u in result.unchecked] == [
        (trust.unassigned.id, "ValueError: year 10000 is out of range")
    ]


def test_an_enrolment_that_cannot_be_checked_is_recorded_with_its_error_and_since_when(trust, time_machine):
    break_dates(trust.unassigned)
    time_machine.move_to(datetime(2026, 11, 24, 7, tzinfo=UTC), tick=False)
    scan(SCAN_DAY)
    time_machine.move_to(datetime(2026, 11, 25, 7, tzinfo=UTC), tick=False)
    scan(SCAN_DAY + timedelta(days=1))
    [problem] = problems()  # one row per enrolment, however many scans fail on it
    assert (problem.enrolment_id, problem.organisation_id) == (trust.unassigned.id, trust.lead.organisation_id)
    assert problem.error == "ValueError: year 10000 is out of range"
    assert utc(problem.first_seen_at) == datetime(2026, 11, 24, 7, tzinfo=UTC)
    assert problem.scanned_on == date(2026, 11, 25)
    assert utc(problem.last_seen_at) == datetime(2026, 11, 25, 7, tzinfo=UTC)


def test_once_the_enrolment_is_corrected_the_next_scan_clears_its_record(trust):
    break_dates(trust.unassigned)
    scan(SCAN_DAY)
    assert len(problems()) == 1
    break_dates(trust.unassigned, date(2026, 9, 1))
    result = scan(SCAN_DAY)
    assert result.unchecked == [] and problems() == []
    assert any(k[1] == trust.unassigned.id for k in outbox_keys())  # and it gets its reminders again


def test_a_dry_run_counts_the_enrolments_it_could_not_check_and_records_nothing(trust):
    break_dates(trust.unassigned)
    result = scan(SCAN_DAY, dry_run=True)
    assert [u.enrolment_id for u in result.unchecked] == [trust.unassigned.id]
    assert problems() == []


def test_a_rule_failing_on_one_enrolment_leaves_the_others_checked(trust, monkeypatch):
    real = gather.due_reminders

    def fails_for_one(situation, today, thresholds):
        if situation.enrolment_id == trust.enrolment.id:
            raise OverflowError("date value out of range")
        return real(situation, today, thresholds)

    monkeypatch.setattr(gather, "due_reminders", fails_for_one)
    result = scan(SCAN_DAY)
    assert [(u.enrolment_id, u.error) for u in result.unchecked] == [
        (trust.enrolment.id, "OverflowError: date value out of range")
    ]
    queued_for = {k[1] for k in outbox_keys()}
    assert trust.unassigned.id in queued_for and trust.enrolment.id not in queued_for


def test_a_fault_that_is_not_about_the_data_still_stops_the_scan(trust, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(gather, "assess", broken)
    with pytest.raises(RuntimeError):
        scan(SCAN_DAY)
    db.session.rollback()
    assert problems() == [] and outbox_keys() == set()


def test_cli_scan_summary_says_how_many_enrolments_could_not_be_checked(trust, app):
    break_dates(trust.unassigned)
    result = app.test_cli_runner().invoke(args=["reminders", "scan", "--as-of", "2026-11-24"])
    assert result.exit_code == 0  # the others' reminders are queued; a broken row must not fail the job
    assert f"enrolment {trust.unassigned.id}: could not be checked: ValueError: year 10000 is out of range" in (
        result.stderr
    )
    assert "1 enrolment could not be checked; admins see which and why at /admin/outbox" in result.stderr
    assert any("\t" in line for line in result.stdout.splitlines())  # the other reminders were queued


def test_admins_see_the_enrolments_the_scan_could_not_check_on_the_outbox_page(trust, client):
    break_dates(trust.unassigned)
    scan(SCAN_DAY)
    admin = UserFactory(role="admin", organisation=trust.lead.organisation)
    sign_in(client, admin)
    html = page(client, "/admin/outbox")
    assert "Enrolments the reminder scan could not check" in html and "1 enrolment not checked" in html
    assert str(escape(trust.other_learner.full_name)) in html and "ValueError: year 10000 is out of range" in html
    assert f'href="/lead/enrolments/{trust.unassigned.id}"' in html and "31 December 9999" in html


def test_admins_of_another_organisation_do_not_see_them(trust, client):
    break_dates(trust.unassigned)
    scan(SCAN_DAY)
    sign_in(client, UserFactory(role="admin", organisation=OrganisationFactory()))
    html = page(client, "/admin/outbox")
    assert "The last scan checked every active enrolment." in html
    assert str(escape(trust.other_learner.full_name)) not in html


def test_only_admins_see_the_enrolments_the_scan_could_not_check(trust, client):
    break_dates(trust.unassigned)
    scan(SCAN_DAY)
    sign_in(client, trust.lead)
    assert client.get("/admin/outbox").status_code == 403
