"""The import creates, updates and enrols, keeps names and formula-like text exactly as entered."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Cohort, Enrolment, PreceptorAssignment, User
from app.services import importer
from tests.importer.conftest import HEADER, TRAINED, counts, csv_file, person, staff


def user(number: str) -> User:
    return db.session.scalar(select(User).where(User.employee_number == number))


def enrolment_of(number: str) -> Enrolment:
    return db.session.scalar(
        select(Enrolment).join(User, User.id == Enrolment.learner_id).where(User.employee_number == number)
    )


def test_people_are_created_and_enrolled_whatever_the_column_order_bom_and_date_style(trust):
    rows = [
        person("N100"),
        person("N101", start_date="07/09/2026", cohort="Preceptorship March 2027", preceptor_employee_number="N102"),
        staff("N102", role="preceptor", **TRAINED),
    ]
    plan = importer.run(None, trust.organisation, csv_file(rows, columns=list(reversed(HEADER)), bom=True))
    assert plan.problems == []
    assert plan.summary() == {
        "rows": 3,
        "people_created": 3,
        "people_updated": 0,
        "people_unchanged": 0,
        "enrolments_created": 2,
        "already_enrolled": 0,
        "cohorts_created": 1,
    }
    assert user("N100").site_id == trust.site.id and user("N102").role == "preceptor"
    assert enrolment_of("N100").cohort_id == trust.cohort.id
    second = enrolment_of("N101")
    assert second.start_date == date(2026, 9, 7) and second.cohort.name == "Preceptorship March 2027"
    assert second.cohort.start_date == date(2026, 9, 7) and second.cohort.pathway_key == "preceptorship"
    assignment = db.session.scalar(select(PreceptorAssignment).where(PreceptorAssignment.enrolment_id == second.id))
    assert assignment.preceptor_id == user("N102").id
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("user.created") == 3 and actions.count("enrolment.created") == 2
    assert actions.count("preceptor.assigned") == 2 and actions.count("cohort.created") == 1
    assert actions.count("learners.imported") == 1
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.created")).all()
    assert {event.object_id for event in created} == {user(n).id for n in ("N100", "N101", "N102")}


def test_names_and_formula_like_text_are_kept_exactly(trust):
    rows = [
        person("N200", first_name="Siobhan", last_name="O'Neill"),
        person("N201", first_name="Zoë", last_name="Smith-Jones", preceptor_employee_number=""),
        staff("N202", first_name="Thị Minh", last_name="Nguyễn"),
        staff("N203", first_name="=cmd|' /C calc'!A0", last_name="+SUM(A1:A9)", band="@risk"),
    ]
    assert importer.run(None, trust.organisation, csv_file(rows)).problems == []
    assert user("N200").last_name == "O'Neill"
    assert user("N201").first_name == "Zoë"
    assert (user("N202").first_name, user("N202").last_name) == ("Thị Minh", "Nguyễn")
    assert (user("N203").first_name, user("N203").last_name) == ("=cmd|' /C calc'!A0", "+SUM(A1:A9)")
    assert user("N203").band == "@risk"


def test_a_known_employee_number_updates_the_person_and_a_second_run_changes_nothing(trust):
    importer.run(None, trust.organisation, csv_file([staff("N300")]))
    changed = csv_file([person("N300", last_name="Okafor-Hughes", email="amara.hughes@nhs.net")])
    plan = importer.run(None, trust.organisation, changed)
    assert plan.problems == [] and plan.summary()["people_updated"] == 1
    assert (user("N300").last_name, user("N300").email) == ("Okafor-Hughes", "amara.hughes@nhs.net")
    update = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.updated"))
    assert "Okafor-Hughes" in update.detail and update.object_id == user("N300").id
    before = counts()
    again = importer.run(None, trust.organisation, changed)
    assert again.summary()["people_unchanged"] == 1 and again.summary()["already_enrolled"] == 1
    after = counts()
    assert after.pop("audit_events") == before.pop("audit_events") + 1  # only the import itself is recorded
    assert after == before


def test_a_dry_run_reports_what_would_change_and_writes_nothing(trust, app):
    path = app.instance_path + "/dry.csv"
    with open(path, "wb") as handle:
        handle.write(csv_file([person("N400"), person("N401")]))
    before = counts()
    result = app.test_cli_runner().invoke(args=["learners", "import", path, "--org", "northgate", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would import 2 rows: 2 people created" in result.output
    assert counts() == before


def test_the_command_imports_and_reports_problems_on_stderr(trust, app, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_file([person("N500")]))
    bad.write_bytes(csv_file([person("N501", pathway="nursing-associate")]))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["learners", "import", str(good), "--org", "northgate"])
    assert result.exit_code == 0 and "Imported 1 rows: 1 people created" in result.output
    result = runner.invoke(args=["learners", "import", str(bad), "--org", "northgate"])
    assert result.exit_code == 1
    assert "row 2: pathway: there is no programme called 'nursing-associate'" in result.stderr
    result = runner.invoke(args=["learners", "import", str(good), "--org", "nowhere"])
    assert result.exit_code == 1 and "There is no organisation called 'nowhere'" in result.stderr


def test_a_cohort_named_by_an_existing_cohort_keeps_its_start_date(trust):
    plan = importer.run(None, trust.organisation, csv_file([person("N600", start_date="")]))
    assert plan.problems == []
    assert enrolment_of("N600").start_date == date(2026, 9, 1)
    assert db.session.scalar(select(Cohort.id).where(Cohort.name == "Preceptorship September 2026")) == trust.cohort.id


def test_someone_adding_the_same_person_meanwhile_is_reported_not_a_crash(trust, monkeypatch):
    """The checks ran, then another import added N700 before this one wrote: nothing is written, it says why."""
    data = csv_file([staff("N700")])
    checked = importer.preview(None, trust.organisation, data)
    importer.run(None, trust.organisation, data)
    monkeypatch.setattr(importer, "preview", lambda *args: checked)
    before = counts()
    plan = importer.run(None, trust.organisation, data)
    assert plan.problems == ["row 1: file: these people were changed by someone else while importing; try again"]
    assert counts() == before
