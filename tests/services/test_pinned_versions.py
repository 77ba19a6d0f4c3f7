"""Enrolments follow the stored copy of the version they pinned, whatever happens to the files on disk."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import PathwayVersion
from app.services import enrolments, transitions
from app.services.catalogue import latest_definition, pathway_version
from app.services.errors import ValidationFailed
from app.services.facts import assess_one
from app.services.reports import any_report
from pathways.loader import DEFINITIONS_DIR
from reports.frames import Filters
from tests.definitions import edited_definitions, read_definitions_from
from tests.factories import LearnerFactory

TODAY = date(2026, 11, 25)
ADVICE = (
    "pathways/definitions/preceptorship.v2.toml: version: version 2 of preceptorship is pinned by 2 enrolments "
    "and its content differs from the stored copy; copy it to preceptorship.v3.toml with version = 3 "
    "instead of editing it"
)


def _to_supernumerary(enrolment) -> tuple[bool, tuple[str, ...]]:
    [option] = [o for o in assess_one(enrolment, TODAY).evaluation.transitions if o.to == "supernumerary"]
    return option.allowed, option.reasons


def test_an_enrolment_keeps_its_blockers_after_its_definition_file_is_edited(world, request, monkeypatch, tmp_path):
    assert _to_supernumerary(world.enrolment) == (True, ())
    read_definitions_from(request, monkeypatch, edited_definitions(tmp_path))
    assert _to_supernumerary(world.enrolment) == (True, ())
    event = transitions.transition(world.preceptor, world.enrolment.id, "advance", to="supernumerary")
    assert event.to_stage == "supernumerary"


def test_the_cohort_report_follows_the_pinned_copy_after_the_file_is_edited(world, request, monkeypatch, tmp_path):
    before = any_report(TODAY, Filters()).views["cohort"]
    assert before["hours_target"].sum() > 0
    more_hours = edited_definitions(
        tmp_path, before='per_month_setting = "protected_hours_per_month"', after="total = 5000"
    )
    read_definitions_from(request, monkeypatch, more_hours)
    after = any_report(TODAY, Filters()).views["cohort"]
    assert after.equals(before)


def test_enrolling_on_an_edited_pinned_version_is_refused_with_the_advice(world, request, monkeypatch, tmp_path):
    read_definitions_from(request, monkeypatch, edited_definitions(tmp_path))
    newcomer = LearnerFactory(organisation=world.lead.organisation)
    with pytest.raises(ValidationFailed) as refused:
        enrolments.enrol(world.lead, learner_id=newcomer.id, pathway_key="preceptorship", start_date=TODAY)
    assert refused.value.message == ADVICE


def test_a_new_version_file_is_taken_by_new_enrolments_and_older_ones_keep_theirs(
    world, request, monkeypatch, tmp_path
):
    directory = edited_definitions(tmp_path, before="version = 2", after="version = 3")
    edited = (directory / "preceptorship.v2.toml").read_text(encoding="utf-8").replace(
        'guards = ["has_preceptor", "profession', 'guards = ["has_preceptor", "check_cleared:dbs", "profession', 1
    )
    (directory / "preceptorship.v3.toml").write_text(edited, encoding="utf-8")
    (directory / "preceptorship.v2.toml").write_text((DEFINITIONS_DIR / "preceptorship.v2.toml").read_text())
    read_definitions_from(request, monkeypatch, directory)
    newcomer = LearnerFactory(organisation=world.lead.organisation)
    enrolment = enrolments.enrol(
        world.lead, learner_id=newcomer.id, pathway_key="preceptorship", start_date=TODAY,
        preceptor_id=world.preceptor.id
    )
    assert enrolment.pathway_version.version == 3
    assert _to_supernumerary(enrolment) == (False, ("DBS check not cleared",))
    assert _to_supernumerary(world.enrolment) == (True, ())


def test_a_version_no_enrolment_pins_takes_its_edited_file(ctx, request, monkeypatch, tmp_path):
    unpinned = pathway_version(latest_definition("pre-employment-placement"))
    db.session.commit()
    directory = edited_definitions(
        tmp_path, "pre-employment-placement.v1.toml", before='title = "', after='title = "Edited: '
    )
    read_definitions_from(request, monkeypatch, directory)
    assert pathway_version(latest_definition("pre-employment-placement")).id == unpinned.id
    db.session.commit()
    row = db.session.scalar(select(PathwayVersion).where(PathwayVersion.key == "pre-employment-placement"))
    assert row.title.startswith("Edited: ")
    assert row.source == (directory / "pre-employment-placement.v1.toml").read_text(encoding="utf-8")
    expected = [c.key for c in latest_definition("pre-employment-placement").all_competencies()]
    assert [c.key for c in row.competencies] == expected


@pytest.fixture
def second_process(app):
    """Another process's app on the same database: its first request runs the start-up check afresh."""
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    yield fresh
    with fresh.app_context():
        db.engine.dispose()


def test_the_app_refuses_to_serve_while_a_pinned_definition_file_is_edited(
    world, second_process, request, monkeypatch, tmp_path
):
    read_definitions_from(request, monkeypatch, edited_definitions(tmp_path))
    response = second_process.test_client().get("/login")
    assert response.status_code == 503
    assert ADVICE in response.get_data(as_text=True)


def test_the_app_serves_when_the_definition_files_match_their_pinned_copies(world, second_process):
    assert second_process.test_client().get("/login").status_code == 200


def test_an_app_whose_database_is_not_yet_migrated_still_starts_and_answers(tmp_path):
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}"})
    assert fresh.test_client().get("/login").status_code == 200
    with fresh.app_context():
        db.engine.dispose()
